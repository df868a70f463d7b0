import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFData
import NCFFlows
import NCFImages
import NCFTransport

/// Seeded malformed .npy, CSV, model, PNG and JPEG files through every reader,
/// in-process. The only property checked: each read gives its typed error or
/// a valid value. A trap kills the test process, which fails the suite; the
/// crash handler (``CrashBreadcrumb``) then names the case, and the seed and
/// case number reproduce it.
@Suite(.serialized) struct ReaderFuzzTests {
  static let seed: UInt64 = 20_261_201

  /// Counts outcomes and records anything that is neither.
  struct Tally: CustomStringConvertible {
    var cases = 0, accepted = 0, rejected = 0

    /// Runs one read: a thrown `E` is a rejection; a value must pass `valid`
    /// (which returns the problem, if any); anything else is an issue.
    mutating func read<T, E: Error>(
      _ label: String, _: E.Type, _ body: () throws -> T, valid: (T) -> String? = { _ in nil }
    ) {
      CrashBreadcrumb.set(label)
      do {
        let value = try body()
        if let problem = valid(value) { Issue.record("\(label): accepted an invalid value: \(problem)") }
        accepted += 1
      } catch is E {
        rejected += 1
      } catch {
        Issue.record("\(label): untyped error \(type(of: error)): \(error)")
      }
    }

    var description: String { "\(cases) cases, \(accepted) reads accepted, \(rejected) rejected" }
  }

  static func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-fuzz-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func write(_ bytes: [UInt8], _ path: String) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
  }

  /// Samples: at least one row and column, the promised count, finite.
  static func validSamples<S: TensorScalar>(_ t: Tensor<S>) -> String? {
    if t.rows < 1 || t.columns < 1 || t.scalars.count != t.rows * t.columns { return "shape \(t.rows)×\(t.columns)" }
    if let bad = t.scalars.first(where: { !$0.isFinite }) { return "value \(bad)" }
    return nil
  }

  /// Samples as every command reads them (``SampleFile``): also within Float's range.
  static func validCommandSamples(_ t: Tensor<Double>) -> String? {
    if let problem = validSamples(t) { return problem }
    if let bad = t.scalars.first(where: { Swift.abs($0) > Double(Float.greatestFiniteMagnitude) }) { return "value \(bad) beyond Float" }
    return nil
  }

  // MARK: - .npy

  static let descrs = ["<f8", "<f4", ">f8", "<f2", "<i4", "|u1", "<i8", ">u2", "=f4", "f8", "<c16", "|b1", "<U10", "O", "<f3",
                       "", "<f99999999999999999999", "<V8", ">f", "|f8 "]
  static let shapes = ["()", "(3,)", "(2, 3)", "(3, 2)", "(4, 1)", "(-1, 2)", "(2, -1)", "(0, 3)", "(3, 0)", "(4611686018427387904, 4)",
                       "(9223372036854775807,)", "(99999999999999999999, 2)", "(2147483648, 2147483648)",
                       "(1099511627776, 1099511627776)", "(2, 3, 4)", "(2.0, 3)", "[2, 3]", "(2, 3,,)", "(True, 3)", "(2 3)",
                       "(-0, 2)", "(+2, 3)", "(2L, 3L)", "(None,)"]

  /// A header text: mostly well formed with one odd part, sometimes deeply nested or garbled.
  static func npyHeader(_ rng: inout SeededRandom) -> String {
    var descr = "'\(Mutations.pick(descrs, &rng))'"
    if rng.integer(below: 20) == 0 { descr = "[('a', '<f8'), ('b', '<i4')]" }
    var shape = Mutations.pick(shapes, &rng)
    if rng.integer(below: 4) == 0 {
      let rank = rng.integer(below: 4)
      let dims = (0..<rank).map { _ in String(rng.integer(below: 7)) }
      shape = rank == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
    }
    if rng.integer(below: 12) == 0 {
      let depth = Mutations.pick([10, 31, 32, 33, 100, 1000, 20_000, 50_000, 100_000], &rng)
      let opener = Mutations.pick(["[", "(", "{'k': "], &rng)
      let closer = opener == "[" ? "]" : (opener == "(" ? ")" : "}")
      shape = String(repeating: opener, count: depth) + "1" + String(repeating: closer, count: depth)
    }
    let order = Mutations.pick(["False", "False", "False", "True", "None", "1", "'False'"], &rng)
    var entries = ["'descr': \(descr)", "'fortran_order': \(order)", "'shape': \(shape)"]
    switch rng.integer(below: 10) {
    case 0: entries.remove(at: rng.integer(below: entries.count))
    case 1: entries.append(entries[rng.integer(below: entries.count)])
    case 2: entries.append("'extra': [1, (2, 3), {'x': None}]")
    case 3: entries.shuffle(using: &rng)
    default: break
    }
    return "{" + entries.joined(separator: ", ") + ", }"
  }

  /// A whole file: preamble, header, and data of about the promised length.
  static func npyFile(_ rng: inout SeededRandom) -> [UInt8] {
    let header = npyHeader(&rng)
    let major: UInt8 = Mutations.pick([1, 1, 2, 3], &rng)
    var h = Array(header.utf8)
    let lengthBytes = major == 1 ? 2 : 4
    let unpadded = 8 + lengthBytes + h.count + 1
    h += [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64) + [0x0A]
    var length = h.count
    if rng.integer(below: 15) == 0 { length = rng.integer(below: 1 << (8 * lengthBytes - 1)) }  // a lying length field
    var bytes = [0x93] + Array("NUMPY".utf8) + [major, 0] + (0..<lengthBytes).map { UInt8((length >> (8 * $0)) & 0xFF) } + h
    // Data: plausible values, raw bit patterns (NaN, Inf, huge), or values beyond Float's range.
    let count = rng.integer(below: 9) * 8
    switch rng.integer(below: 3) {
    case 0: bytes += (0..<(count / 8)).flatMap { _ in Mutations.littleEndian(rng.normal().bitPattern) }
    case 1: bytes += (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    default: bytes += (0..<(count / 8)).flatMap { _ in Mutations.littleEndian(Mutations.pick([1e39, -1e300, .nan, .infinity, 1.5], &rng).bitPattern) }
    }
    return bytes
  }

  @Test func npyFiles() throws {
    CrashBreadcrumb.arm()
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var rng = SeededRandom(seed: Self.seed)
    var tally = Tally()
    let path = dir + "/case.npy"
    // Valid files to start the byte-level damage from.
    let valid = [NPY.encode(Tensor<Double>([[1, 2, 3], [4, 5, 6]]), precision: .float64),
                 NPY.encode(Tensor<Double>([[0.5], [-2]]), precision: .float32), NPY.encodeLabels([3, 1, 4, 1, 5])]
    for k in 0..<1200 {
      tally.cases += 1
      let bytes: [UInt8], what: String
      if k % 3 == 0 {
        (bytes, what) = Mutations.damage(Mutations.pick(valid, &rng), &rng)
      } else {
        (bytes, what) = (Self.npyFile(&rng), "crafted")
      }
      let label = "npy case \(k) (seed \(Self.seed)): \(what)"
      tally.read(label + " [parseHeader]", DataError.self) {
        try bytes.withUnsafeBytes { try NPY.parseHeader($0, path: "case.npy") }
      }
      Self.write(bytes, path)
      tally.read(label + " [Double]", DataError.self, { try NPY.readTensor(path: path, as: Double.self) }, valid: Self.validSamples)
      tally.read(label + " [Float]", DataError.self, { try NPY.readTensor(path: path, as: Float.self) }, valid: Self.validSamples)
      tally.read(label + " [samples]", DataError.self, { try SampleFile.readSamples(path: path) }, valid: Self.validCommandSamples)
      tally.read(label + " [labels]", DataError.self, { try SampleFile.readLabels(path: path) }, valid: { $0.isEmpty ? "no labels" : nil })
      tally.read(label + " [array]", DataError.self, { try NPY.readArray(path: path, as: Double.self) }, valid: { read in
        read.values.count != read.shape.reduce(1, *) ? "\(read.values.count) values for shape \(read.shape)"
          : read.values.allSatisfy(\.isFinite) ? nil : "a non-finite value"
      })
    }
    print("npy fuzz: \(tally)")
    #expect(tally.accepted > 0 && tally.rejected > tally.accepted, "\(tally)")
  }

  // MARK: - CSV

  static let csvTokens = ["\u{0}", "\u{1}", "\u{0B}", "\u{0C}", "\u{7F}", "\r", "\n", "\"", ",", ";", "\t", " ", "nan", "inf", "-inf",
                          "1e39", "-1e39", "1e400", "1e-400", "0x1p3", "#", "\u{FEFF}", String(repeating: "9", count: 500), "é",
                          "--1", "1..2", "+", "e5", ".", "\"\"", "\"1,2\"", "3.4028235e38", "3.4028236e38", "\n\n", "a,b,c\n"]

  static func csvFile(_ rng: inout SeededRandom) -> [UInt8] {
    let separator = Mutations.pick([",", ";", "\t", " ", ", "], &rng)
    let columns = 1 + rng.integer(below: 4), rows = rng.integer(below: 6)
    var text = rng.integer(below: 3) == 0 ? (0..<columns).map { "c\($0)" }.joined(separator: separator) + "\n" : ""
    if rng.integer(below: 5) == 0 { text = "# comment\n" + text }
    for _ in 0..<rows {
      let cells = (0..<columns).map { _ -> String in
        let v = rng.normal() * Double.pow(10, Double(rng.integer(below: 9) - 4))
        return rng.integer(below: 8) == 0 ? "\"\(v)\"" : "\(v)"
      }
      text += cells.joined(separator: separator) + (rng.integer(below: 6) == 0 ? "\r\n" : "\n")
    }
    var bytes = Array(text.utf8)
    for _ in 0..<rng.integer(below: 4) {
      let token: [UInt8] = rng.integer(below: 10) == 0 ? [0xFF, 0xC3] : Array(Mutations.pick(csvTokens, &rng).utf8)
      bytes.insert(contentsOf: token, at: rng.integer(below: bytes.count + 1))
    }
    return bytes
  }

  @Test func csvFiles() throws {
    CrashBreadcrumb.arm()
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var rng = SeededRandom(seed: Self.seed &+ 1)
    var tally = Tally()
    for k in 0..<1000 {
      tally.cases += 1
      var bytes = Self.csvFile(&rng), what = "crafted"
      if k % 4 == 0 { (bytes, what) = Mutations.damage(bytes, &rng) }
      let label = "csv case \(k) (seed \(Self.seed &+ 1)): \(what)"
      let path = dir + "/case." + Mutations.pick(["csv", "tsv", "txt"], &rng)
      Self.write(bytes, path)
      tally.read(label + " [Double]", DataError.self, { try CSV.readTensor(path: path, as: Double.self).tensor }, valid: Self.validSamples)
      tally.read(label + " [Float]", DataError.self, { try CSV.readTensor(path: path, as: Float.self).tensor }, valid: Self.validSamples)
      tally.read(label + " [samples]", DataError.self, { try SampleFile.readSamples(path: path) }, valid: Self.validCommandSamples)
      let column = Mutations.pick([nil, SampleFile.Column.index(0), .index(7), .name("c1"), .name("")], &rng)
      tally.read(label + " [labels \(String(describing: column))]", DataError.self, { try SampleFile.readLabels(path: path, column: column) },
                 valid: { $0.isEmpty ? "no labels" : nil })
    }
    print("csv fuzz: \(tally)")
    #expect(tally.accepted > 0 && tally.rejected > 0, "\(tally)")
  }

  // MARK: - Model files

  static func baseModels() -> [NCFModel] {
    let specs: [(Activation, Bool, Bool, Cost, Int)] = [
      (.tanh, false, true, .quadratic, 2), (.softplus(beta: 4), true, true, .pnormp(3), 3),
      (.silu, false, false, .quadratic, 2), (.softplus(beta: 1), true, false, .pnormp(1.5), 1),
    ]
    var rng = SeededRandom(seed: 7)
    return specs.enumerated().map { k, spec in
      let (act, residual, head, cost, d) = spec
      let net = PotentialNetwork(
        mlp: MLP(inputDimension: d + 1, hiddenWidths: residual ? [4, 4] : [5], activation: act, residual: residual), quadraticHead: head)
      var p: ParameterSet<Float> = net.initialParameters(seed: UInt64(k))
      for name in PotentialNetwork.headParameterNames where head {
        let t = p[name]!
        p[name] = Tensor.normal(rows: t.rows, columns: t.columns, standardDeviation: 0.3, using: &rng)
      }
      return NCFModel(network: net, parameters: p, cost: cost, terminalTime: 1,
                      normalization: Normalization(shift: (0..<d).map { Double($0) }, scale: 1.5), configuration: NCFTrainingConfiguration())
    }
  }

  nonisolated(unsafe) static let nastyValues: [Any] = [0, -1, 1, 2, 3, 1e300, -1e300, "nan", "inf", "-inf", 4_294_967_296, 2_147_483_648, 1_099_511_627_776,
                                   4_611_686_018_427_387_904, Int.max, Int.min, 1.5, 0x1p-1060, "x", NSNull(), [Any](), [String: Any](), [1, 2], true]

  /// One header field set to something odd; the weights resized to match the
  /// declared shapes now and then, so that only the header checks stand between
  /// the file and a model.
  static func craftHeader(_ header: inout [String: Any], _ weights: inout [UInt8], _ rng: inout SeededRandom) -> String {
    func set(_ path: [String], _ value: Any) {
      func go(_ object: inout [String: Any], _ path: ArraySlice<String>) {
        guard let key = path.first else { return }
        if path.count == 1 { object[key] = value; return }
        var child = object[key] as? [String: Any] ?? [:]
        go(&child, path.dropFirst())
        object[key] = child
      }
      go(&header, path[...])
    }
    let nasty = Mutations.pick(nastyValues, &rng)
    var what: String
    switch rng.integer(below: 11) {
    case 0: set(["network", "mlp", "inputDimension"], nasty); what = "inputDimension \(nasty)"
    case 1:
      let options: [[Any]] = [[], [0], [-1], [2_147_483_648, 2_147_483_648], [1_099_511_627_776], [1], [3, 3, 3],
                              [Int](repeating: 1, count: 300), [nasty]]
      let widths = Mutations.pick(options, &rng)
      set(["network", "mlp", "hiddenWidths"], widths); what = "hiddenWidths \(widths.prefix(3))"
    case 2:
      let options: [Any] = [["softplus": ["beta": nasty]], ["tanh": [String: Any]()], ["relu": [String: Any]()], "tanh",
                            ["silu": [String: Any]()], nasty]
      let activation = Mutations.pick(options, &rng)
      set(["network", "mlp", "activation"], activation); what = "activation \(activation)"
    case 3: set(["network", Mutations.pick(["quadraticHead", "mlp"], &rng)], nasty); what = "network field \(nasty)"
    case 4: set(["normalization", "scale"], nasty); what = "scale \(nasty)"
    case 5:
      let options: [Any] = [[nasty, 0], [0], [0, 0, 0, 0], nasty]
      let shift = Mutations.pick(options, &rng)
      set(["normalization", "shift"], shift); what = "shift \(shift)"
    case 6: header["terminalTime"] = nasty; what = "terminalTime \(nasty)"
    case 7:
      // "lp" is the stored pnormp; the costs NCF cannot train with must be refused too.
      let options: [Any] = [["lp": ["_0": nasty]], ["quadratic": [String: Any]()], ["lp": nasty], nasty,
                            ["euclidean": [String: Any]()], ["sqeuclidean": [String: Any]()], ["lpPower": ["_0": nasty]]]
      let cost = Mutations.pick(options, &rng)
      header["cost"] = cost; what = "cost \(cost)"
    case 8:
      var list = header["parameters"] as? [[String: Any]] ?? []
      if !list.isEmpty {
        let i = rng.integer(below: list.count)
        switch rng.integer(below: 4) {
        case 0: list[i][Mutations.pick(["rows", "columns"], &rng)] = nasty
        case 1: list[i]["name"] = Mutations.pick(["layer9.weight", "head.A0", "", "output.bias"], &rng)
        case 2: list.remove(at: i)
        default: list.append(list[i])
        }
      }
      header["parameters"] = list; what = "parameters entry"
    case 9: header[Mutations.pick(["scalarType", "writer", "certificate", "configuration"], &rng)] = nasty; what = "informational field \(nasty)"
    default: set(["configuration", Mutations.pick(["iterations", "lambda", "activation", "collocation"], &rng)], nasty); what = "configuration \(nasty)"
    }
    // Resize the weights to the declared shapes, when they are small enough to hold.
    if rng.integer(below: 2) == 0, let list = header["parameters"] as? [[String: Any]] {
      let counts = list.map { (($0["rows"] as? Int) ?? -1, ($0["columns"] as? Int) ?? -1) }
      if counts.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 && $0.0 <= 1000 && $0.1 <= 1000 }) {
        let total = counts.reduce(0) { $0 + $1.0 * $1.1 }
        if total <= 100_000 { weights = (0..<total).flatMap { Mutations.littleEndian(Float(Double($0 % 7) * 0.1).bitPattern) } }
      }
    }
    return what
  }

  /// The file's header object and weight bytes, or nil when it is not a valid file.
  static func split(_ file: [UInt8]) -> (header: [String: Any], weights: [UInt8])? {
    guard file.count >= 28 else { return nil }
    let length = Int(file[12..<20].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    guard 20 + length + 8 <= file.count,
          let header = (try? JSONSerialization.jsonObject(with: Data(file[20..<(20 + length)]))) as? [String: Any] else { return nil }
    return (header, Array(file[(20 + length)..<(file.count - 8)]))
  }

  /// A file from header text and weights, with length and checksum recomputed.
  static func assemble(json: [UInt8], weights: [UInt8]) -> [UInt8] {
    let bytes = Array("NCFMODEL".utf8) + Mutations.littleEndian(UInt32(1)) + Mutations.littleEndian(UInt64(json.count)) + json + weights
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return bytes + Mutations.littleEndian(h)
  }

  @Test func modelFiles() throws {
    CrashBreadcrumb.arm()
    var rng = SeededRandom(seed: Self.seed &+ 2)
    var tally = Tally()
    let files = try Self.baseModels().map { [UInt8](try ModelFile.encode($0)) }
    for k in 0..<800 {
      tally.cases += 1
      let base = Mutations.pick(files, &rng)
      var bytes: [UInt8], what: String
      switch rng.integer(below: 20) {
      case 0..<7:
        (bytes, what) = Mutations.damage(base, &rng)
      case 7..<17:
        var (header, weights) = Self.split(base)!
        what = "crafted header (valid checksum): " + Self.craftHeader(&header, &weights, &rng)
        let json = (try? JSONSerialization.data(withJSONObject: header)).map { [UInt8]($0) } ?? []
        bytes = Self.assemble(json: json, weights: weights)
      case 17..<19:
        var (_, weights) = Self.split(base)!
        let special = Mutations.pick([Float.nan, .infinity, -3e38, 3e38, .leastNonzeroMagnitude, -0.0], &rng)
        let i = rng.integer(below: weights.count / 4)
        weights.replaceSubrange((4 * i)..<(4 * i + 4), with: Mutations.littleEndian(special.bitPattern))
        bytes = Self.assemble(json: Array(base[20..<(base.count - 8 - weights.count)]), weights: weights)
        what = "weight \(i) set to \(special) (valid checksum)"
      default:
        let (_, weights) = Self.split(base)!
        let depth = Mutations.pick([100, 10_000, 100_000], &rng)
        let json = "{\"extra\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        bytes = Self.assemble(json: Array(json.utf8), weights: weights)
        what = "header nested \(depth) deep (valid checksum)"
      }
      let label = "model case \(k) (seed \(Self.seed &+ 2)): \(what)"
      tally.read(label, ModelFileError.self, { try ModelFile.decode(Data(bytes), path: "case.ncf") }, valid: { model in
        // An accepted model maps points to finite values or says it cannot,
        // and saves and loads again.
        var prng = SeededRandom(seed: UInt64(k))
        let x = Tensor<Double>.normal(rows: 8, columns: model.dimension, using: &prng)
        do {
          _ = try model.checkedForward(x)
          _ = try model.checkedBackward(x)
        } catch {}
        guard let again = try? ModelFile.decode(ModelFile.encode(model)), again.parameters == model.parameters else {
          return "an accepted model does not round-trip"
        }
        return nil
      })
    }
    print("model fuzz: \(tally)")
    #expect(tally.accepted > 0 && tally.rejected > tally.accepted, "\(tally)")
  }

  // MARK: - Images

  static func randomImage(_ rng: inout SeededRandom, width: Int, height: Int) -> RGBImage {
    RGBImage(width: width, height: height, pixels: (0..<(3 * width * height)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
  }

  /// The IHDR chunk of a PNG rewritten (dimensions, bit depth, colour type,
  /// interlace), with its CRC recomputed most of the time.
  static func craftPNG(_ png: [UInt8], _ rng: inout SeededRandom) -> (bytes: [UInt8], what: String) {
    var b = png
    let sizes: [UInt32] = [0, 1, 2, 7, 255, 65_535, 16_384, 30_000, 1_000_001, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF]
    let (w, h) = (Mutations.pick(sizes, &rng), Mutations.pick(sizes, &rng))
    if rng.integer(below: 2) == 0 {
      b.replaceSubrange(16..<20, with: Mutations.bigEndian(w))
      b.replaceSubrange(20..<24, with: Mutations.bigEndian(h))
    }
    if rng.integer(below: 2) == 0 { b[24] = Mutations.pick([0, 1, 2, 3, 4, 8, 16, 255], &rng) }
    if rng.integer(below: 2) == 0 { b[25] = Mutations.pick([0, 1, 2, 3, 4, 5, 6, 7, 255], &rng) }
    if rng.integer(below: 4) == 0 { b[28] = Mutations.pick([0, 1, 2], &rng) }
    let fixed = rng.integer(below: 10) < 8
    if fixed { b.replaceSubrange(29..<33, with: Mutations.bigEndian(Mutations.crc32(b[12..<29]))) }
    return (b, "IHDR \(w)×\(h) depth \(b[24]) colour \(b[25]) interlace \(b[28])\(fixed ? " (valid CRC)" : "")")
  }

  /// A chunk with random content and a valid CRC inserted after IHDR.
  static func insertChunk(_ png: [UInt8], _ rng: inout SeededRandom) -> (bytes: [UInt8], what: String) {
    let type = Mutations.pick(["PLTE", "tRNS", "gAMA", "iCCP", "sBIT", "IDAT", "IEND", "tEXt", "zzZz"], &rng)
    let length = Mutations.pick([0, 1, 3, 6, 13, 256], &rng)
    let body = Array(type.utf8) + (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let chunk = Mutations.bigEndian(UInt32(length)) + body + Mutations.bigEndian(Mutations.crc32(body[...]))
    var b = png
    b.insert(contentsOf: chunk, at: 33)
    return (b, "inserted \(type) chunk of \(length) bytes (valid CRC)")
  }

  /// The SOF0 frame header of a JPEG rewritten (height, width, components).
  static func craftJPEG(_ jpeg: [UInt8], _ rng: inout SeededRandom) -> (bytes: [UInt8], what: String) {
    var b = jpeg
    guard let sof = (0..<(b.count - 10)).first(where: { b[$0] == 0xFF && b[$0 + 1] == 0xC0 }) else { return (b, "no SOF0") }
    // Small sizes, or beyond the pixel limit; not the band in between, where a
    // crafted header would make the decoder fill a huge image with grey.
    let sizes: [UInt16] = [0, 1, 3, 8, 16, 255, 1024, 65_535]
    let (h, w) = (Mutations.pick(sizes, &rng), Mutations.pick(sizes, &rng))
    if Int(h) * Int(w) <= 1 << 22 || Int(h) * Int(w) > RGBImage.maximumPixelCount {
      b.replaceSubrange((sof + 5)..<(sof + 7), with: Mutations.bigEndian(h))
      b.replaceSubrange((sof + 7)..<(sof + 9), with: Mutations.bigEndian(w))
    }
    if rng.integer(below: 3) == 0 { b[sof + 9] = Mutations.pick([0, 1, 2, 4, 255], &rng) }
    return (b, "SOF0 \(w)×\(h), \(b[sof + 9]) components")
  }

  static func validImage(_ image: RGBImage) -> String? {
    image.width >= 1 && image.height >= 1 && image.pixels.count == 3 * image.width * image.height
      ? nil : "image \(image.width)×\(image.height) with \(image.pixels.count) bytes"
  }

  @Test func pngAndJPEGFiles() throws {
    CrashBreadcrumb.arm()
    var rng = SeededRandom(seed: Self.seed &+ 3)
    var tally = Tally()
    let pngs = try [(9, 7), (1, 1), (33, 2)].map { try Self.randomImage(&rng, width: $0.0, height: $0.1).pngData() }
    let jpegs = try [(16, 8), (3, 5)].map { try Self.randomImage(&rng, width: $0.0, height: $0.1).jpegData(quality: 90) }
    for k in 0..<1000 {
      tally.cases += 1
      let bytes: [UInt8], what: String
      if k % 2 == 0 {
        let png = Mutations.pick(pngs, &rng)
        switch rng.integer(below: 3) {
        case 0: (bytes, what) = Self.craftPNG(png, &rng)
        case 1: (bytes, what) = Self.insertChunk(png, &rng)
        default: (bytes, what) = Mutations.damage(png, &rng)
        }
      } else {
        let jpeg = Mutations.pick(jpegs, &rng)
        (bytes, what) = rng.integer(below: 3) == 0 ? Self.craftJPEG(jpeg, &rng) : Mutations.damage(jpeg, &rng)
      }
      let accept = rng.integer(below: 4) == 0
      let label = "image case \(k) (seed \(Self.seed &+ 3)): \(what), accept warnings \(accept)"
      tally.read(label, ImageError.self, { try RGBImage(decoding: bytes, name: "case", acceptJPEGWarnings: accept) }, valid: Self.validImage)
    }
    print("image fuzz: \(tally)")
    #expect(tally.accepted > 0 && tally.rejected > tally.accepted, "\(tally)")
  }
}
