import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFTransport
import NCFFlows

@Suite struct ModelFileTests {
  static func sampleModel(cost: Cost = .quadratic) -> NCFModel {
    let net = PotentialNetwork(
      mlp: MLP(inputDimension: 3, hiddenWidths: [8, 8], activation: .softplus(beta: 2), residual: true), quadraticHead: true)
    var config = NCFTrainingConfiguration()
    config.iterations = 7
    var params: ParameterSet<Float> = net.initialParameters(seed: 3)
    // A non-zero quadratic head, so that it is part of what is compared.
    var rng = SeededRandom(seed: 8)
    for name in PotentialNetwork.headParameterNames {
      let t = params[name]!
      params[name] = Tensor.normal(rows: t.rows, columns: t.columns, standardDeviation: 0.3, using: &rng)
    }
    return NCFModel(network: net, parameters: params, cost: cost, terminalTime: 1,
                    normalization: Normalization(shift: [0.5, -1], scale: 2.5), configuration: config)
  }

  func tempPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ncf-test-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
  }

  @Test(arguments: [Cost.quadratic, .pnormp(3)])
  func saveLoadGivesBitIdenticalMaps(cost: Cost) throws {
    let model = Self.sampleModel(cost: cost)
    let path = tempPath("roundtrip-\(cost.name).ncf")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    let loaded = try ModelFile.load(from: path)
    var rng = SeededRandom(seed: 4)
    let x = Tensor<Double>.normal(rows: 100, columns: 2, using: &rng)
    #expect(loaded.forward(x) == model.forward(x))
    #expect(loaded.backward(x) == model.backward(x))
    #expect(loaded.potential(x, time: 0.3) == model.potential(x, time: 0.3))
    #expect(loaded.parameters == model.parameters)
    #expect(loaded.network == model.network)
    #expect(loaded.cost == model.cost)
    #expect(loaded.normalization == model.normalization)
    #expect(loaded.configuration == model.configuration)
  }

  @Test func damagedFilesAreRejectedClearly() throws {
    let data = try ModelFile.encode(Self.sampleModel())
    // Every truncation and a bit flip at every 37th byte must be rejected.
    for cut in stride(from: 0, to: data.count, by: 13) {
      #expect(throws: ModelFileError.self) { try ModelFile.decode(data.prefix(cut), path: "m.ncf") }
    }
    for i in stride(from: 0, to: data.count, by: 37) {
      var bad = data
      bad[i] ^= 0x10
      #expect(throws: ModelFileError.self) { try ModelFile.decode(bad, path: "m.ncf") }
    }
    var trailing = data
    trailing.append(0)
    #expect(throws: ModelFileError.self) { try ModelFile.decode(trailing, path: "m.ncf") }
  }

  @Test func messagesNameTheProblem() throws {
    var data = try ModelFile.encode(Self.sampleModel())
    data[8] = 99  // format version 99
    do {
      _ = try ModelFile.decode(data, path: "new.ncf")
      Issue.record("a newer format version must be rejected")
    } catch let e as ModelFileError {
      #expect(e.description.contains("new.ncf") && e.description.contains("newer"))
    }
    do {
      _ = try ModelFile.decode(Data("hello world, not a model at all".utf8), path: "x.ncf")
      Issue.record("garbage must be rejected")
    } catch let e as ModelFileError {
      #expect(e.description.contains("not an ncf model"))
    }
    #expect(throws: ModelFileError.self) { try ModelFile.load(from: "/nonexistent/dir/m.ncf") }
    #expect(throws: ModelFileError.self) { try ModelFile.load(from: FileManager.default.temporaryDirectory.path) }
    #expect(throws: ModelFileError.self) { try ModelFile.save(Self.sampleModel(), to: "/nonexistent/dir/m.ncf") }
  }

  @Test func mapsAreReportedInUserCoordinates() {
    // The same network with and without normalisation: T_user(x) = shift + σ·T_model((x − shift)/σ).
    let m = Self.sampleModel()
    var plain = m
    plain.normalization = .identity(dimension: 2)
    var rng = SeededRandom(seed: 5)
    let x = Tensor<Double>.normal(rows: 20, columns: 2, using: &rng)
    let xm = m.normalization.normalize(x)
    let expected = m.normalization.denormalize(plain.forward(xm))
    let got = m.forward(x)
    for i in 0..<20 { for k in 0..<2 { #expect(abs(got[i, k] - expected[i, k]) < 1e-5) } }
    // Interpolation at t_f is the forward map; at 0 the identity.
    #expect(m.interpolate(x, time: 1) == got)
    #expect(m.interpolate(x, time: 0) == x)
  }
}

/// Files written before a training setting existed keep loading: the
/// missing setting takes its default, and everything else is unchanged.
@Suite struct ModelFileCompatibilityTests {
  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
  }

  static func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

  /// `file` with `key` removed from the stored training settings, header
  /// length and checksum rewritten.
  static func removingSetting(_ key: String, from file: [UInt8]) throws -> [UInt8] {
    let length = Int(file[12..<20].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    let header = Data(file[20..<(20 + length)])
    var object = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
    var settings = try #require(object["configuration"] as? [String: Any])
    try #require(settings.removeValue(forKey: key) != nil, "no setting \(key)")
    object["configuration"] = settings
    let newHeader = [UInt8](try JSONSerialization.data(withJSONObject: object))
    var bytes = Array(file[0..<12]) + littleEndian(UInt64(newHeader.count)) + newHeader
    bytes += file[(20 + length)..<(file.count - 8)]
    return bytes + littleEndian(fnv1a(bytes))
  }

  @Test func aFileWithoutANewerSettingLoadsWithItsDefault() throws {
    var model = ModelFileTests.sampleModel()
    model.normalization = Normalization(shift: [0.1, -1.0 / 3], scale: 2.0 / 3)
    model.configuration?.backwardLambda = 0.25
    model.configuration?.seed = UInt64.max - 12345
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-compat-\(UUID().uuidString).ncf").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    let old = try Self.removingSetting("backwardLambda", from: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    try Data(old).write(to: URL(fileURLWithPath: path))

    let loaded = try ModelFile.load(from: path)
    #expect(loaded.configuration?.backwardLambda == NCFTrainingConfiguration().backwardLambda)
    var expected = model.configuration
    expected?.backwardLambda = NCFTrainingConfiguration().backwardLambda
    #expect(loaded.configuration == expected)
    var rng = SeededRandom(seed: 4)
    let x = Tensor<Double>.normal(rows: 50, columns: 2, using: &rng)
    #expect(loaded.forward(x) == model.forward(x))
    #expect(loaded.backward(x) == model.backward(x))
  }
}
