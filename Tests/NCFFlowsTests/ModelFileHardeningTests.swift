import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFFlows
import NCFTransport

/// Builds model files with a crafted header and a *valid* checksum, the way an
/// attacker (or a buggy writer) would: the checksum proves integrity, not
/// validity, so every header field must be checked before anything is built.
enum CraftedModelFile {
  static func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
  }

  /// The header object and the weight bytes of a valid file.
  static func split(_ file: [UInt8]) -> (header: [String: Any], weights: [UInt8]) {
    let length = Int(file[12..<20].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    let json = Data(file[20..<(20 + length)])
    let header = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
    return (header, Array(file[(20 + length)..<(file.count - 8)]))
  }

  /// A file from raw header text and weights, with the header length and checksum recomputed.
  static func assemble(json: [UInt8], weights: [UInt8], version: UInt32 = 1) -> [UInt8] {
    let bytes = Array("NCFMODEL".utf8) + littleEndian(version) + littleEndian(UInt64(json.count)) + json + weights
    return bytes + littleEndian(fnv1a(bytes))
  }

  static func assemble(header: [String: Any], weights: [UInt8]) -> [UInt8] {
    assemble(json: [UInt8]((try? JSONSerialization.data(withJSONObject: header)) ?? Data()), weights: weights)
  }

  /// Sets the value at a key path of nested objects.
  static func set(_ object: inout [String: Any], _ path: [String], _ value: Any) {
    guard let key = path.first else { return }
    if path.count == 1 { object[key] = value; return }
    var child = object[key] as? [String: Any] ?? [:]
    set(&child, Array(path.dropFirst()), value)
    object[key] = child
  }

  /// The parameter list of a header, as (name, rows, columns).
  static func parameters(_ header: [String: Any]) -> [(name: String, rows: Int, columns: Int)] {
    (header["parameters"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["rows"] as? Int ?? 0, $0["columns"] as? Int ?? 0) }
  }

  static func setParameters(_ header: inout [String: Any], _ list: [(name: String, rows: Int, columns: Int)]) {
    header["parameters"] = list.map { ["name": $0.name, "rows": $0.rows, "columns": $0.columns] as [String: Any] }
  }

  /// Float32 weights 0.01, 0.02, … for `count` scalars.
  static func weights(count: Int) -> [UInt8] {
    (0..<count).flatMap { littleEndian(Float(Double($0 % 50 + 1) * 0.01).bitPattern) }
  }
}

@Suite struct ModelFileHardeningTests {
  typealias Mutation = (inout [String: Any], inout [UInt8]) -> Void

  /// Applies `mutation` to the sample model's header (and weights), with a
  /// valid checksum, and expects a ModelFileError mentioning `words`.
  func expectRejected(
    _ what: String, mentioning words: [String], cost: Cost = .quadratic, _ mutation: Mutation,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let file = [UInt8](try ModelFile.encode(ModelFileTests.sampleModel(cost: cost)))
    var (header, weights) = CraftedModelFile.split(file)
    mutation(&header, &weights)
    let crafted = CraftedModelFile.assemble(header: header, weights: weights)
    do {
      _ = try ModelFile.decode(Data(crafted), path: "crafted.ncf")
      Issue.record("\(what): a crafted header was accepted", sourceLocation: sourceLocation)
    } catch let e as ModelFileError {
      #expect(e.description.hasPrefix("crafted.ncf: "), "\(what): \(e)", sourceLocation: sourceLocation)
      #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
      for w in words { #expect(e.description.contains(w), "\(what): \(e)", sourceLocation: sourceLocation) }
    }
  }

  /// The crafting helper itself round-trips a valid file.
  @Test func anUnmodifiedCraftedFileLoads() throws {
    let file = [UInt8](try ModelFile.encode(ModelFileTests.sampleModel()))
    let (header, weights) = CraftedModelFile.split(file)
    let model = try ModelFile.decode(Data(CraftedModelFile.assemble(header: header, weights: weights)))
    #expect(model.parameters == ModelFileTests.sampleModel().parameters)
  }

  @Test func architectureFieldsAreChecked() throws {
    // No hidden layers, with a parameter list and weights consistent with that.
    try expectRejected("empty hidden layers", mentioning: ["hidden"]) { h, w in
      CraftedModelFile.set(&h, ["network", "mlp", "hiddenWidths"], [Int]())
      let head = CraftedModelFile.parameters(h).filter { $0.name.hasPrefix("head.") }
      let list = [("output.weight", 3, 1), ("output.bias", 1, 1)] + head
      CraftedModelFile.setParameters(&h, list)
      w = CraftedModelFile.weights(count: list.reduce(0) { $0 + $1.1 * $1.2 })
    }
    try expectRejected("zero-width layer", mentioning: ["width"]) { h, w in
      CraftedModelFile.set(&h, ["network", "mlp", "hiddenWidths"], [0, 8])
      var list = CraftedModelFile.parameters(h)
      list[0] = ("layer1.weight", 3, 0); list[1] = ("layer1.bias", 1, 0); list[2] = ("layer2.weight", 0, 8)
      CraftedModelFile.setParameters(&h, list)
      w = CraftedModelFile.weights(count: list.reduce(0) { $0 + $1.rows * $1.columns })
    }
    try expectRejected("negative width", mentioning: ["width"]) { h, _ in
      CraftedModelFile.set(&h, ["network", "mlp", "hiddenWidths"], [-8, 8])
    }
    for input in [1, 0, -3] {
      try expectRejected("input dimension \(input)", mentioning: ["dimension"]) { h, _ in
        CraftedModelFile.set(&h, ["network", "mlp", "inputDimension"], input)
      }
    }
    for beta: Any in [0, -1, "nan", "inf", 1e300] {
      try expectRejected("softplus beta \(beta)", mentioning: ["softplus", "β"]) { h, _ in
        CraftedModelFile.set(&h, ["network", "mlp", "activation"], ["softplus": ["beta": beta]])
      }
    }
  }

  @Test func parameterShapesAndByteCountsAreChecked() throws {
    // Products that overflow Int (2^62 scalars are 2^64 bytes; 2^80 scalars).
    for (rows, columns) in [(1 << 31, 1 << 31), (1 << 40, 1 << 40), (1 << 62, 1), (Int.max, 1)] {
      try expectRejected("\(rows)×\(columns)", mentioning: ["layer1.weight"]) { h, _ in
        var list = CraftedModelFile.parameters(h)
        list[0].rows = rows; list[0].columns = columns
        CraftedModelFile.setParameters(&h, list)
      }
    }
    // A negative dimension used to give "expected N bytes, found N".
    try expectRejected("negative rows", mentioning: ["layer1.weight", "-1"]) { h, _ in
      var list = CraftedModelFile.parameters(h)
      list[0].rows = -1
      CraftedModelFile.setParameters(&h, list)
    }
    // Shapes that disagree with the architecture even when the byte count fits.
    try expectRejected("transposed weight", mentioning: ["layer1.weight", "3×8"]) { h, _ in
      var list = CraftedModelFile.parameters(h)
      (list[0].rows, list[0].columns) = (list[0].columns, list[0].rows)
      CraftedModelFile.setParameters(&h, list)
    }
    try expectRejected("missing head parameter", mentioning: ["head.c"]) { h, w in
      var list = CraftedModelFile.parameters(h)
      list.removeLast()
      CraftedModelFile.setParameters(&h, list)
      w.removeLast(4)
    }
    try expectRejected("weights of another type", mentioning: ["float64"]) { h, _ in h["scalarType"] = "float64" }
  }

  @Test func numericFieldsAreChecked() throws {
    for scale: Any in [0, -1, "nan", "inf", 1e-320] {
      try expectRejected("scale \(scale)", mentioning: ["scale"]) { h, _ in
        CraftedModelFile.set(&h, ["normalization", "scale"], scale)
      }
    }
    for shift: [Any] in [["nan", 0], [0, "inf"], [0], [0, 0, 0]] {
      try expectRejected("shift \(shift)", mentioning: ["shift"]) { h, _ in
        CraftedModelFile.set(&h, ["normalization", "shift"], shift)
      }
    }
    for time: Any in [0, -1, "nan", "inf"] {
      try expectRejected("terminal time \(time)", mentioning: ["terminal time"]) { h, _ in h["terminalTime"] = time }
    }
    // pnormp (stored as "lp"): P ≤ 1, non-finite, or so large that q = P/(P − 1) rounds to 1 (in Float from P ≈ 1.7·10⁷).
    for p: Any in [1, 0.5, -2, "nan", "inf", 1e17, 1e8] {
      try expectRejected("pnormp:\(p)", mentioning: ["lp", "P"], cost: .pnormp(3)) { h, _ in h["cost"] = ["lp": ["_0": p]] }
    }
    // Costs NCF cannot train with have stored forms too, but no Hamiltonian to build a model with.
    for (key, cost) in [("euclidean", [String: Any]()), ("sqeuclidean", [:]), ("lpPower", ["_0": 3])] {
      try expectRejected("cost \(key)", mentioning: ["cost", "NCF"]) { h, _ in h["cost"] = [key: cost] }
    }
  }

  /// `--cost pnormp:1e17` parsed, then trapped in the Hamiltonian (q = P/(P − 1)
  /// rounds to 1); from P ≈ 1.7·10⁷ q is 1 in Float, where the networks run.
  @Test func costParsingRefusesWhatTheHamiltonianCannotTake() {
    /// What `--cost` accepts on the NCF commands.
    func ncfCost(_ text: String) -> Cost? { Cost(text).flatMap { $0.ncfRefusal == nil ? $0 : nil } }
    for text in ["pnormp:1e17", "pnormp:1e8", "pnormp:1", "pnormp:0.5", "pnormp:inf", "pnormp:nan"] {
      #expect(ncfCost(text) == nil, "\(text)")
      #expect(Cost(text)?.hamiltonian == nil, "\(text)")
    }
    #expect(ncfCost("pnormp:1e7") == .pnormp(1e7))
    #expect(ncfCost("pnormp:3") == .pnormp(3) && ncfCost("pnormp:2") == .quadratic)
  }

  /// A valid checksum over a header nested far deeper than any real one.
  @Test func deeplyNestedHeaderJSONIsRejected() throws {
    let file = [UInt8](try ModelFile.encode(ModelFileTests.sampleModel()))
    let (header, weights) = CraftedModelFile.split(file)
    var json = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
    let depth = 100_000
    json = String(json.dropLast()) + ",\"extra\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
    #expect(throws: ModelFileError.self) {
      try ModelFile.decode(Data(CraftedModelFile.assemble(json: Array(json.utf8), weights: weights)), path: "deep.ncf")
    }
  }
}
