import Foundation
import Testing
import NCFTestSupport

/// Issue 10 at the command line: no output may replace an input, no command
/// prints or writes a NaN model result, and colour transfer refuses
/// single-colour images with a message about the image.
@Suite("hardening: outputs vs inputs, non-finite results, single-colour images")
struct HardeningCLITests {
  // MARK: - Output == input

  enum Clash: String, CaseIterable, Sendable {
    case trainOutIsSource, trainLogIsTargetThroughSymlink, trainOutIsConfigThroughHardLink, trainOutIsLabels,
      mapOutIsInputThroughSymlink, mapOutIsModel, otPlanIsTargetThroughHardLink, otPlanIsWeights,
      colorOutIsContent, colorReverseIsStyle, colorReportIsModel, colorFigureIsOut, colorSaveModelIsStyle,
      plotOutIsLogThroughSymlink, plotOutIsSource, sampleLabelsAreOut, demoLogIsReport
  }

  /// The arguments of one clash, with its files made in `dir`.
  static func clash(_ c: Clash, in dir: URL) throws -> [String] {
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    let fm = FileManager.default
    let (x, y) = try Fixtures.gaussianPair(in: dir, n: 40)
    func train(_ extra: [String], out: String = path("m.ncf")) -> [String] {
      ["train", "--source", x.path, "--target", y.path, "--out", out] + Fixtures.tinyTraining + extra
    }
    func model() throws -> String { try Fixtures.tinyModel(in: dir).model.path }
    let content = ColorTransferCommandTests.image("coffee.png"), style = ColorTransferCommandTests.image("chelsea.png")
    func copied(_ source: String, _ name: String) throws -> String {
      try fm.copyItem(atPath: source, toPath: path(name))
      return path(name)
    }
    func colour(_ content: String, _ style: String, _ extra: [String]) -> [String] {
      ["color-transfer", "--content", content, "--style", style] + extra + ["--max-side", "16", "--iterations", "2", "--quiet"]
    }
    switch c {
    case .trainOutIsSource:
      return train([], out: x.path)
    case .trainLogIsTargetThroughSymlink:
      try fm.createSymbolicLink(atPath: path("log.jsonl"), withDestinationPath: y.path)
      return train(["--log", path("log.jsonl")])
    case .trainOutIsConfigThroughHardLink:
      try dir.appendingPathComponent("settings.json").write(#"{"width": 8}"#)
      try fm.linkItem(atPath: path("settings.json"), toPath: path("hard.ncf"))
      return train(["--config", path("settings.json")], out: path("hard.ncf"))
    case .trainOutIsLabels:
      try dir.appendingPathComponent("a.npy").write(NPYFixture.labels([Int](repeating: 0, count: 40)))
      try dir.appendingPathComponent("b.npy").write(NPYFixture.labels([Int](repeating: 0, count: 40)))
      return train(["--source-labels", path("a.npy"), "--target-labels", path("b.npy")], out: dir.path + "/./b.npy")
    case .mapOutIsInputThroughSymlink:
      let m = try model()
      try fm.createSymbolicLink(atPath: path("mapped.npy"), withDestinationPath: x.path)
      return ["map", "--model", m, "--input", x.path, "--out", path("mapped.npy")]
    case .mapOutIsModel:
      let m = try model()
      try fm.linkItem(atPath: m, toPath: path("model.npy"))
      return ["map", "--model", m, "--input", x.path, "--out", path("model.npy")]
    case .otPlanIsTargetThroughHardLink:
      try fm.linkItem(atPath: y.path, toPath: path("plan.npy"))
      return ["ot", "--source", x.path, "--target", y.path, "--plan-out", path("plan.npy")]
    case .otPlanIsWeights:
      try dir.appendingPathComponent("w.csv").write(String(repeating: "1\n", count: 40))
      return ["ot", "--source", x.path, "--target", y.path, "--target-weights", path("w.csv"), "--plan-out", path("w.csv")]
    case .colorOutIsContent:
      let a = try copied(content, "content.png")
      return colour(a, style, ["--out", a])
    case .colorReverseIsStyle:
      let b = try copied(style, "style.png")
      try fm.createSymbolicLink(atPath: path("reverse.png"), withDestinationPath: b)
      return colour(content, b, ["--out", path("out.png"), "--reverse-out", path("reverse.png")])
    case .colorReportIsModel:
      let m = try Fixtures.tinyModel(in: dir, dimension: 3, name: "colours.ncf").model.path
      return colour(content, style, ["--out", path("out.png"), "--model", m, "--report", m])
    case .colorFigureIsOut:
      return colour(content, style, ["--out", path("out.png"), "--figure", dir.path + "/sub/../out.png"])
    case .colorSaveModelIsStyle:
      let b = try copied(style, "style.png")
      return colour(content, b, ["--out", path("out.png"), "--save-model", b])
    case .plotOutIsLogThroughSymlink:
      let m = try model()
      try dir.appendingPathComponent("train.jsonl").write("")
      try fm.createSymbolicLink(atPath: path("fig.svg"), withDestinationPath: path("train.jsonl"))
      return ["plot", "--model", m, "--source", x.path, "--target", y.path, "--log", path("train.jsonl"), "--out", path("fig.svg")]
    case .plotOutIsSource:
      let m = try model()
      try fm.linkItem(atPath: x.path, toPath: path("x.svg"))
      return ["plot", "--model", m, "--source", x.path, "--target", y.path, "--out", path("x.svg")]
    case .sampleLabelsAreOut:
      return ["sample", "moons", "--count", "10", "--out", path("s.npy"), "--labels-out", dir.path + "//s.npy"]
    case .demoLogIsReport:
      try fm.createDirectory(atPath: path("demo"), withIntermediateDirectories: false)
      return ["demo", "--out", path("demo"), "--log", path("demo") + "/report.md", "--iterations", "2", "-q"]
    }
  }

  /// Every regular file under `dir` (links followed) with its bytes.
  static func snapshot(_ dir: URL) -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: dir.path)
    while let name = enumerator?.nextObject() as? String {
      if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) { files[name] = data }
    }
    return files
  }

  @Test("an output that names an input (or another output) is refused before any work", arguments: Clash.allCases)
  func outputsNeverReplaceInputs(_ c: Clash) throws {
    try withTemporaryDirectory { dir in
      try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
      let args = try Self.clash(c, in: dir)
      let before = Self.snapshot(dir)
      let result = try NCF.run(args)
      #expect(result.status == 1, "\(c): \(result)")
      let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errors.count == 1 && errors[0].contains("name the same file"), "\(c): \(result)")
      #expect(Self.snapshot(dir) == before, "\(c): a file was written or changed")
    }
  }

  @Test("distinct paths in one directory are not a clash")
  func distinctOutputsRun() throws {
    try withTemporaryDirectory { dir in
      let result = try NCF.run(["sample", "moons", "--count", "10", "--out", dir.appendingPathComponent("s.npy").path,
                                "--labels-out", dir.appendingPathComponent("s-labels.npy").path])
      #expect(result.status == 0, "\(result)")
    }
  }

  // MARK: - Non-finite results

  /// A copy of the model at `path` whose weights are all ±3·10³⁸: finite, so
  /// the file loads, but every map overflows Float. The checksum (FNV-1a
  /// over everything before it) is recomputed.
  static func overflowingCopy(of path: URL, to out: URL) throws {
    var bytes = [UInt8](try Data(contentsOf: path))
    let headerLength = Int(bytes[12..<20].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    var k = 20 + headerLength
    while k + 4 <= bytes.count - 8 {
      let bits = UInt32(bytes[k]) | UInt32(bytes[k + 1]) << 8 | UInt32(bytes[k + 2]) << 16 | UInt32(bytes[k + 3]) << 24
      let huge = (Float(bitPattern: bits) < 0 ? -3e38 : 3e38 as Float).bitPattern
      for b in 0..<4 { bytes[k + b] = UInt8(truncatingIfNeeded: huge >> (8 * UInt32(b))) }
      k += 4
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes[0..<(bytes.count - 8)] { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    for b in 0..<8 { bytes[bytes.count - 8 + b] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(b))) }
    try Data(bytes).write(to: out)
  }

  enum Printing: String, CaseIterable, Sendable { case eval, evalJSON, evalGaussianBenchmark, plot, map, mapBackward, colorTransfer }

  @Test("a model whose results overflow is refused: exit 1, one line naming the model and the row", arguments: Printing.allCases)
  func nonFiniteResultsAreRefused(_ c: Printing) throws {
    try withTemporaryDirectory { dir in
      func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
      let d = c == .colorTransfer ? 3 : 2
      let tiny = try Fixtures.tinyModel(in: dir, dimension: d)
      let huge = dir.appendingPathComponent("huge.ncf")
      try Self.overflowingCopy(of: tiny.model, to: huge)
      let (x, y) = (tiny.x.path, tiny.y.path)
      let args: [String]
      var row = "row 0 (0-based) of \(x)"
      switch c {
      case .eval: args = ["eval", "--model", huge.path, "--source", x, "--target", y]
      case .evalJSON: args = ["eval", "--model", huge.path, "--source", x, "--target", y, "--json"]
      case .evalGaussianBenchmark: args = ["eval", "--model", huge.path, "--source", x, "--target", y, "--gaussian-benchmark", "2"]
      case .plot: args = ["plot", "--model", huge.path, "--source", x, "--target", y, "--out", path("fig.svg")]
      case .map: args = ["map", "--model", huge.path, "--input", x, "--out", path("tx.npy")]
      case .mapBackward:
        args = ["map", "--model", huge.path, "--input", y, "--out", path("sy.npy"), "--direction", "backward"]
        row = "row 0 (0-based) of \(y)"
      case .colorTransfer:
        args = ["color-transfer", "--content", ColorTransferCommandTests.image("coffee.png"),
                "--style", ColorTransferCommandTests.image("chelsea.png"), "--model", huge.path, "--out", path("out.png"),
                "--max-side", "16", "--no-baselines", "--quiet"]
        row = "pixel (x 0, y 0)"
      }
      let before = listing(dir)
      let result = try NCF.run(args)
      #expect(result.status == 1, "\(c): \(result)")
      let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errors.count == 1, "\(c): \(result)")
      let message = errors.first.map(String.init) ?? ""
      #expect(message.contains("huge.ncf") && message.contains(row) && message.contains("NaN or infini"), "\(c): \(message)")
      #expect(!result.stdout.lowercased().contains("nan"), "\(c): printed a NaN result: \(result.stdout)")
      #expect(listing(dir) == before, "\(c): wrote an output")
    }
  }

  // MARK: - Single-colour images

  /// A `width`×`height` PNG of one colour.
  static func singleColourPNG(_ url: URL, rgb: [UInt8], width: Int = 24, height: Int = 16) throws {
    let line = (0..<width).flatMap { _ in rgb }
    try Data(handmadePNG(width: width, height: height, colorType: .rgb, scanlines: Array(repeating: line, count: height)))
      .write(to: url)
  }

  @Test("colour transfer refuses a single-colour content or style image with a message about the image",
        arguments: ["content", "style"])
  func singleColourImagesAreRefused(_ role: String) throws {
    try withTemporaryDirectory { dir in
      let flat = dir.appendingPathComponent("flat.png")
      try Self.singleColourPNG(flat, rgb: [200, 100, 50])
      let photo = ColorTransferCommandTests.image("coffee.png")
      let (content, style) = role == "content" ? (flat.path, photo) : (photo, flat.path)
      let out = dir.appendingPathComponent("out.png")
      let result = try NCF.run(["color-transfer", "--content", content, "--style", style, "--out", out.path,
                                "--max-side", "32", "--iterations", "20", "--no-baselines", "--quiet"])
      #expect(result.status == 1, "\(result)")
      let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errors.count == 1, "\(result)")
      let message = errors.first.map(String.init) ?? ""
      #expect(message.contains("flat.png") && message.contains("the \(role) image is (nearly) one colour")
                && message.contains("RGB (200, 100, 50)"), "\(message)")
      #expect(!exists(out))
    }
  }
}
