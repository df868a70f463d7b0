import Foundation
import Testing

/// Every kind of bad input gives a one-line message naming the file and the
/// problem, a non-zero exit status, no crash, and no output file.
@Suite("bad input")
struct BadInputTests {
  /// One scenario: files set up in a directory, the arguments, what the message must contain.
  struct Scenario: Sendable {
    var args: [String]
    /// Substring naming the problem.
    var problem: String
    /// The file the message must name (nil for argument errors).
    var file: String?
    /// Output the command must not leave behind.
    var output: String?
  }

  enum Case: String, CaseIterable, Sendable {
    case missingSource, sourceIsDirectory, wrongExtension, malformedHeader, badMagic, unsupportedDType, rank3, rank1,
      emptyArray, nanInNPY, infInCSV, nonNumericCSV, sourceTargetDimensions, mapModelDimension, evalModelDimension,
      labelCount, labelClasses, labelsOnOneSide, newerModel, damagedModel, notAModel, modelIsDirectory, missingModel,
      trainOutputDirectoryMissing, trainOutputIsDirectory, mapOutputIsDirectory, mapOutputExtension,
      mapTimeBackward, mapTimeTooLarge, gaussianBenchmarkDimension, plotNot2D, plotNotSVG, demoOutIsFile,
      unknownDataset, demoNot2D, missingConfig, configUnknownKey, configWrongType, configInvalidJSON, configBadValue,
      configBadEnum, invalidSetting, unknownCost, unknownActivation, logDirectoryMissing
  }

  /// Builds the scenario's files in `dir`.
  static func scenario(_ c: Case, in dir: URL) throws -> Scenario {
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    let (x, y) = try Fixtures.gaussianPair(in: dir, n: 40)
    let out = path("out.ncf")
    func train(source: String = x.path, target: String = y.path, _ extra: [String] = []) -> [String] {
      ["train", "--source", source, "--target", target, "--out", out] + Fixtures.tinyTraining + extra
    }
    func npy(_ name: String, _ data: Data) throws -> String {
      try dir.appendingPathComponent(name).write(data)
      return path(name)
    }
    func text(_ name: String, _ content: String) throws -> String {
      try dir.appendingPathComponent(name).write(content)
      return path(name)
    }
    func model(dimension: Int = 2) throws -> String { try Fixtures.tinyModel(in: dir, dimension: dimension).model.path }

    switch c {
    case .missingSource:
      return Scenario(args: train(source: path("nothere.npy")), problem: "no such file", file: "nothere.npy", output: out)
    case .sourceIsDirectory:
      try FileManager.default.createDirectory(atPath: path("adir.npy"), withIntermediateDirectories: false)
      return Scenario(args: train(source: path("adir.npy")), problem: "is a directory", file: "adir.npy", output: out)
    case .wrongExtension:
      let f = try text("points.xyz", "1,2\n3,4\n")
      return Scenario(args: train(source: f), problem: "unknown data format", file: "points.xyz", output: out)
    case .malformedHeader:
      let f = try npy("badheader.npy", NPYFixture.file(header: "{'descr': '<f8', 'shape': oops", data: []))
      return Scenario(args: train(source: f), problem: "malformed .npy", file: "badheader.npy", output: out)
    case .badMagic:
      let f = try text("magic.npy", "this is not numpy\n")
      return Scenario(args: train(source: f), problem: "malformed .npy", file: "magic.npy", output: out)
    case .unsupportedDType:
      let f = try npy("complex.npy", NPYFixture.file(
        header: "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }", data: [UInt8](repeating: 0, count: 64)))
      return Scenario(args: train(source: f), problem: "unsupported .npy dtype", file: "complex.npy", output: out)
    case .rank3:
      let f = try npy("cube.npy", NPYFixture.float64([[Double]](repeating: [1, 2], count: 4), shape: [2, 2, 2]))
      return Scenario(args: train(target: f), problem: "expected a 2-D array", file: "cube.npy", output: out)
    case .rank1:
      let f = try npy("vector.npy", NPYFixture.float64([[1], [2], [3]], shape: [3]))
      return Scenario(args: train(target: f), problem: "expected a 2-D array", file: "vector.npy", output: out)
    case .emptyArray:
      let f = try npy("empty.npy", NPYFixture.float64([], shape: [0, 2]))
      return Scenario(args: train(source: f), problem: "no data", file: "empty.npy", output: out)
    case .nanInNPY:
      var rows = [[Double]](repeating: [0.5, 1], count: 6)
      rows[3][1] = .nan
      let f = try npy("nan.npy", NPYFixture.float64(rows))
      return Scenario(args: train(source: f), problem: "row 3", file: "nan.npy", output: out)
    case .infInCSV:
      let f = try text("inf.csv", "x,y\n1,2\n3,4\n5,inf\n7,8\n")
      return Scenario(args: train(target: f), problem: "row 2", file: "inf.csv", output: out)
    case .nonNumericCSV:
      let f = try text("words.csv", "1,2\n3,four\n")
      return Scenario(args: train(target: f), problem: "non-numeric", file: "words.csv", output: out)
    case .sourceTargetDimensions:
      let (_, y3) = try Fixtures.gaussianPair(in: dir, n: 40, dimension: 3, names: ("x3.npy", "y3.npy"))
      return Scenario(args: train(target: y3.path), problem: "3 columns", file: "y3.npy", output: out)
    case .mapModelDimension:
      let m = try model()
      let (x3, _) = try Fixtures.gaussianPair(in: dir, n: 40, dimension: 3, names: ("x3.npy", "y3.npy"))
      return Scenario(args: ["map", "--model", m, "--input", x3.path, "--out", path("mapped.npy")],
                      problem: "is 2-D", file: "x3.npy", output: path("mapped.npy"))
    case .evalModelDimension:
      let m = try model()
      let (x3, y3) = try Fixtures.gaussianPair(in: dir, n: 40, dimension: 3, names: ("x3.npy", "y3.npy"))
      return Scenario(args: ["eval", "--model", m, "--source", x3.path, "--target", y3.path],
                      problem: "is 2-D", file: "x3.npy", output: nil)
    case .labelCount:
      let a = try npy("a.npy", NPYFixture.labels([Int](repeating: 0, count: 40)))
      let b = try npy("b.npy", NPYFixture.labels([Int](repeating: 0, count: 39)))
      return Scenario(args: train(["--source-labels", a, "--target-labels", b]), problem: "39 labels", file: "b.npy", output: out)
    case .labelClasses:
      let a = try npy("a.npy", NPYFixture.labels((0..<40).map { $0 % 2 }))
      let b = try npy("b.npy", NPYFixture.labels((0..<40).map { 2 * ($0 % 2) }))
      return Scenario(args: train(["--source-labels", a, "--target-labels", b]), problem: "different classes", file: "b.npy",
                      output: out)
    case .labelsOnOneSide:
      let a = try npy("a.npy", NPYFixture.labels([Int](repeating: 0, count: 40)))
      return Scenario(args: train(["--source-labels", a]), problem: "--target-labels", file: nil, output: out)
    case .newerModel:
      let m = try model()
      var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: m)))
      bytes[8] = 99  // the little-endian format version follows the 8 magic bytes
      let f = try npy("future.ncf", Data(bytes))
      return Scenario(args: ["map", "--model", f, "--input", x.path, "--out", path("mapped.npy")],
                      problem: "newer than this ncf supports", file: "future.ncf", output: path("mapped.npy"))
    case .damagedModel:
      let m = try model()
      let bytes = try Data(contentsOf: URL(fileURLWithPath: m))
      let f = try npy("cut.ncf", bytes.prefix(bytes.count - 100))
      return Scenario(args: ["eval", "--model", f, "--source", x.path, "--target", y.path], problem: "truncated",
                      file: "cut.ncf", output: nil)
    case .notAModel:
      return Scenario(args: ["map", "--model", x.path, "--input", x.path, "--out", path("mapped.csv")],
                      problem: "not an ncf model file", file: x.lastPathComponent, output: path("mapped.csv"))
    case .modelIsDirectory:
      try FileManager.default.createDirectory(atPath: path("models"), withIntermediateDirectories: false)
      return Scenario(args: ["map", "--model", path("models"), "--input", x.path, "--out", path("mapped.csv")],
                      problem: "is a directory", file: "models", output: path("mapped.csv"))
    case .missingModel:
      return Scenario(args: ["eval", "--model", path("gone.ncf"), "--source", x.path, "--target", y.path],
                      problem: "no such file", file: "gone.ncf", output: nil)
    case .trainOutputDirectoryMissing:
      let target = path("no/such/dir/model.ncf")
      return Scenario(args: ["train", "--source", x.path, "--target", y.path, "--out", target] + Fixtures.tinyTraining,
                      problem: "does not exist", file: "no/such/dir/model.ncf", output: target)
    case .trainOutputIsDirectory:
      try FileManager.default.createDirectory(atPath: path("model.ncf"), withIntermediateDirectories: false)
      return Scenario(args: ["train", "--source", x.path, "--target", y.path, "--out", path("model.ncf")] + Fixtures.tinyTraining,
                      problem: "is a directory", file: "model.ncf", output: nil)
    case .mapOutputIsDirectory:
      let m = try model()
      try FileManager.default.createDirectory(atPath: path("mapped.npy"), withIntermediateDirectories: false)
      return Scenario(args: ["map", "--model", m, "--input", x.path, "--out", path("mapped.npy")],
                      problem: "is a directory", file: "mapped.npy", output: nil)
    case .mapOutputExtension:
      let m = try model()
      return Scenario(args: ["map", "--model", m, "--input", x.path, "--out", path("mapped.xlsx")],
                      problem: "unknown data format", file: "mapped.xlsx", output: path("mapped.xlsx"))
    case .mapTimeBackward:
      let m = try model()
      return Scenario(args: ["map", "--model", m, "--input", x.path, "--out", path("m.npy"), "--time", "0.5",
                             "--direction", "backward"], problem: "forward map only", file: nil, output: path("m.npy"))
    case .mapTimeTooLarge:
      let m = try model()
      return Scenario(args: ["map", "--model", m, "--input", x.path, "--out", path("m.npy"), "--time", "1.5"],
                      problem: "--time must lie in [0, 1]", file: nil, output: path("m.npy"))
    case .gaussianBenchmarkDimension:
      let m = try model()
      return Scenario(args: ["eval", "--model", m, "--source", x.path, "--target", y.path, "--gaussian-benchmark", "3"],
                      problem: "needs a 3-D model", file: "tiny.ncf", output: nil)
    case .plotNot2D:
      let m3 = try Fixtures.tinyModel(in: dir, dimension: 3, name: "three.ncf")
      return Scenario(args: ["plot", "--model", m3.model.path, "--source", m3.x.path, "--target", m3.y.path,
                             "--out", path("fig.svg")], problem: "2-D models only", file: "three.ncf", output: path("fig.svg"))
    case .plotNotSVG:
      let m = try model()
      return Scenario(args: ["plot", "--model", m, "--source", x.path, "--target", y.path, "--out", path("fig.png")],
                      problem: ".svg", file: "fig.png", output: path("fig.png"))
    case .demoOutIsFile:
      let f = try text("demo-out", "a file\n")
      return Scenario(args: ["demo", "--out", f, "--iterations", "2", "-q"], problem: "not a directory", file: "demo-out",
                      output: nil)
    case .unknownDataset:
      return Scenario(args: ["demo", "--out", path("d"), "--dataset", "bananas", "--iterations", "2", "-q"],
                      problem: "unknown dataset 'bananas'", file: nil, output: path("d"))
    case .demoNot2D:
      return Scenario(args: ["demo", "--out", path("d"), "--dataset", "gaussian-benchmark-3", "--iterations", "2", "-q"],
                      problem: "is 3-D", file: nil, output: path("d"))
    case .missingConfig:
      return Scenario(args: train(["--config", path("nothere.json")]), problem: "no such file", file: "nothere.json", output: out)
    case .configUnknownKey:
      let f = try text("typo.json", #"{"widht": 16}"#)
      return Scenario(args: train(["--config", f]), problem: "unknown setting 'widht'", file: "typo.json", output: out)
    case .configWrongType:
      let f = try text("type.json", #"{"collocation": {"boxWeight": "lots"}}"#)
      return Scenario(args: train(["--config", f]), problem: "'collocation.boxWeight' has the wrong type", file: "type.json",
                      output: out)
    case .configInvalidJSON:
      let f = try text("broken.json", #"{"width": 16,"#)
      return Scenario(args: train(["--config", f]), problem: "not valid JSON", file: "broken.json", output: out)
    case .configBadValue:
      let f = try text("neg.json", #"{"validationInterval": -3}"#)
      return Scenario(args: train(["--config", f]), problem: "validation interval", file: "neg.json", output: out)
    case .configBadEnum:
      let f = try text("enum.json", #"{"hjLoss": "exact"}"#)
      return Scenario(args: train(["--config", f]), problem: "invalid value for 'hjLoss'", file: "enum.json", output: out)
    case .invalidSetting:
      return Scenario(args: train(["--width", "0"]), problem: "width and depth must be ≥ 1", file: nil, output: out)
    case .unknownCost:
      return Scenario(args: train(["--cost", "lp:0.5"]), problem: "unknown cost", file: nil, output: out)
    case .unknownActivation:
      return Scenario(args: train(["--activation", "relu"]), problem: "unknown activation 'relu'", file: nil, output: out)
    case .logDirectoryMissing:
      return Scenario(args: train(["--log", path("logs/train.jsonl")]), problem: "does not exist", file: "logs/train.jsonl",
                      output: out)
    }
  }

  @Test(arguments: Case.allCases)
  func reportsOneLineAndWritesNothing(_ c: Case) throws {
    try withTemporaryDirectory { dir in
      let s = try Self.scenario(c, in: dir)
      let before = listing(dir)
      let result = try NCF.run(s.args)
      #expect(!result.signalled, "\(c): crashed\n\(result)")
      #expect(result.status != 0, "\(c): exit status 0\n\(result)")
      #expect(result.status != 130)
      let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errorLines.count == 1, "\(c): expected one error line\n\(result)")
      let message = errorLines.first.map(String.init) ?? ""
      #expect(message.contains(s.problem), "\(c): message lacks '\(s.problem)': \(message)")
      if let file = s.file { #expect(message.contains(file), "\(c): message does not name \(file): \(message)") }
      #expect(!result.output.contains("Fatal error") && !result.output.contains("Stack dump"), "\(c)\n\(result)")
      if let output = s.output { #expect(!exists(URL(fileURLWithPath: output)), "\(c): left \(output) behind") }
      #expect(listing(dir) == before, "\(c): the directory changed: \(before) → \(listing(dir))")
    }
  }
}
