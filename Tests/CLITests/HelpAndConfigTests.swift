import Foundation
import Testing

@Suite("help")
struct HelpTests {
  static let commands: [(command: [String], mentions: [String])] = [
    ([], ["demo", "train", "map", "eval", "plot", "datasets", "sample", "bench"]),
    (["train"], ["--source", "--target", "--out", "--source-labels", "--target-labels", "--label-column", "--config",
                 "--iterations", "--batch-size", "--collocation-batch", "--width", "--depth", "--activation",
                 "--residual", "--no-quadratic-head", "--lambda", "--learning-rate", "--seed", "--threads", "--cost",
                 "--loss", "--validation-interval", "--quiet", "--log", "--save-on-failure", "--dry-run",
                 "(default: 10000)", "Examples:"]),
    (["map"], ["--model", "--input", "--direction", "--out", "--time", "--precision", "forward", "backward", "Examples:"]),
    (["eval"], ["--model", "--source", "--target", "--gaussian-benchmark", "--json", "--max-points", "Examples:"]),
    (["demo"], ["--dataset", "--target-dataset", "--out", "--iterations", "--seed", "figure.svg", "Examples:"]),
    (["plot"], ["--model", "--source", "--target", "--out", "--segments", "--log", "Examples:"]),
    (["datasets"], ["Example:"]),
    (["sample"], ["--count", "--out", "--seed", "--labels-out", "Examples:"]),
    (["bench"], ["kernels", "gaussian", "w2", "fmnist-mnist"]),
    (["bench", "fmnist-mnist"], ["--data", "--cache", "--no-cache", "--out", "--iterations", "--class-code-scale",
                                 "scripts/fetch-mnist-data.sh", "Example:"]),
    (["bench", "kernels"], ["--batch", "--width"]),
    (["bench", "gaussian"], ["--dims", "--iterations", "--train-points"]),
    (["bench", "w2"], ["--dims", "--iterations", "--train-points", "--test-points", "--linear-only", "--out", "--lambda",
                       "--backward-lambda", "--config", "Examples:"]),
  ]

  @Test(arguments: commands.indices)
  func helpExitsZeroAndNamesTheOptions(_ index: Int) throws {
    let (command, mentions) = Self.commands[index]
    let result = try NCF.run(command + ["--help"])
    #expect(result.status == 0, "\(command)\n\(result)")
    for m in mentions {
      #expect(result.stdout.contains(m), "ncf \(command.joined(separator: " ")) --help does not mention \(m)")
    }
  }
}

@Suite("settings from --config and flags")
struct ConfigTests {
  /// The effective settings of a dry run, as printed (JSON text).
  static func dryRunText(_ extra: [String], in dir: URL) throws -> String {
    let (x, y) = try Fixtures.gaussianPair(in: dir, n: 40)
    let out = dir.appendingPathComponent("never.ncf")
    let result = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", out.path, "--dry-run"] + extra)
    try #require(result.status == 0, "\(result)")
    #expect(result.stdout.contains("inputs OK"))
    #expect(!exists(out), "a dry run writes no model")
    return try #require(result.stdout.range(of: "{").map { String(result.stdout[$0.lowerBound...]) })
  }

  /// The effective settings of a dry run as a JSON object.
  static func dryRun(_ extra: [String], in dir: URL) throws -> [String: Any] {
    try jsonObject(dryRunText(extra, in: dir))
  }

  @Test func partialConfigMergesWithDefaultsAndFlagsWin() throws {
    try withTemporaryDirectory { dir in
      let defaults = try Self.dryRun([], in: dir)
      let config = dir.appendingPathComponent("settings.json")
      try config.write("""
        {"width": 16, "depth": 2, "collocation": {"boxWeight": 0.5}, "activation": "softplus:2",
         "gradientClipNorm": null, "hjLoss": "pinn"}
        """)
      let c = try Self.dryRun(["--config", config.path, "--width", "24", "--lambda", "3", "--loss", "implicit"], in: dir)
      #expect(c["width"] as? Int == 24, "flag overrides the file")
      #expect(c["depth"] as? Int == 2, "file overrides the default")
      #expect(c["lambda"] as? Double == 3)
      #expect(c["hjLoss"] as? String == "implicit", "flag overrides the file")
      #expect(c["iterations"] as? Int == defaults["iterations"] as? Int, "missing keys keep their defaults")
      #expect(c["learningRate"] as? Double == defaults["learningRate"] as? Double)
      #expect(c["gradientClipNorm"] == nil, "null turns an optional setting off")
      let collocation = try #require(c["collocation"] as? [String: Any])
      let defaultCollocation = try #require(defaults["collocation"] as? [String: Any])
      #expect(collocation["boxWeight"] as? Double == 0.5)
      #expect(collocation["pushedWeight"] as? Double == defaultCollocation["pushedWeight"] as? Double,
              "nested objects merge key by key")
      let activation = try #require(c["activation"] as? [String: Any])
      #expect((activation["softplus"] as? [String: Any])?["beta"] as? Double == 2)
    }
  }

  @Test func printedSettingsAreAValidConfigFile() throws {
    try withTemporaryDirectory { dir in
      let first = try Self.dryRunText(["--width", "20", "--residual", "--no-quadratic-head", "--seed", "9"], in: dir)
      let file = dir.appendingPathComponent("full.json")
      try file.write(first)
      let second = try Self.dryRunText(["--config", file.path], in: dir)
      #expect(first == second)
      let settings = try jsonObject(second)
      #expect(settings["residual"] as? Bool == true && settings["quadraticHead"] as? Bool == false)
      #expect(settings["width"] as? Int == 20 && settings["seed"] as? Int == 9)
    }
  }

  /// The settings travel into the saved model (checked through `ncf eval --json`).
  @Test func savedModelRecordsTheMergedSettings() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 60)
      let config = dir.appendingPathComponent("small.json")
      try config.write(#"{"iterations": 7, "width": 8, "depth": 1, "energyBatch": 16, "collocationBatch": 16, "seed": 4}"#)
      let model = dir.appendingPathComponent("m.ncf")
      let train = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", model.path, "--config", config.path,
                               "--seed", "5", "--threads", "1", "-q"])
      try #require(train.status == 0, "\(train)")
      #expect(train.stdout.contains("trained 7 of 7 steps"))
      let eval = try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path, "--json"])
      try #require(eval.status == 0, "\(eval)")
      let report = try jsonObject(eval.stdout)
      let c = try #require(report["configuration"] as? [String: Any])
      #expect(c["iterations"] as? Int == 7)
      #expect(c["width"] as? Int == 8)
      #expect(c["energyBatch"] as? Int == 16)
      #expect(c["seed"] as? Int == 5, "the flag overrides the file")
      #expect(report["trainedSteps"] as? Int == 7)
    }
  }
}

@Suite("demo")
struct DemoTests {
  @Test func writesModelFigureAndReports() throws {
    try withTemporaryDirectory { dir in
      let out = dir.appendingPathComponent("demo-out")
      let result = try NCF.run(["demo", "--iterations", "20", "--batch-size", "64", "--points", "300", "--segments", "40",
                                "--out", out.path, "--quiet"])
      try #require(result.status == 0, "\(result)")
      #expect(listing(out) == ["figure.svg", "model.ncf", "report.json", "report.md"])
      #expect(result.stdout.contains(out.appendingPathComponent("figure.svg").path))
      #expect(result.stderr.isEmpty, "--quiet: \(result.stderr)")

      let svg = try Data(contentsOf: out.appendingPathComponent("figure.svg"))
      let counter = try #require(SVGCounter.parse(svg), "figure.svg is not well-formed XML")
      #expect(counter.segmentLines == 40)
      #expect(counter.elementCounts["circle", default: 0] > 1000, "scatter panels")
      #expect(counter.elementCounts["polyline", default: 0] >= 2, "HJ and energy loss curves")

      let report = try jsonObject(String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8))
      let training = try #require(report["training"] as? [String: Any])
      #expect(training["steps"] as? Int == 20)
      #expect(training["seconds"] is Double)
      let test = try #require(report["test"] as? [String: Any])
      #expect(test["forwardEnergyDistance"] is Double && test["referenceEnergyDistance"] is Double)
      let certificate = try #require(report["certificate"] as? [String: Any])
      #expect(certificate["hjResidual"] is Double)
      let settings = try #require(report["settings"] as? [String: Any])
      #expect(settings["dataset"] as? String == "gaussian" && settings["targetDataset"] as? String == "8gaussians")
      let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
      #expect(markdown.contains("figure.svg") && markdown.contains("HJ residual"))

      // The demo's model works with the other commands.
      let x = dir.appendingPathComponent("x.npy"), y = dir.appendingPathComponent("y.npy")
      #expect(try NCF.run(["sample", "gaussian", "--count", "100", "--out", x.path]).status == 0)
      #expect(try NCF.run(["sample", "8gaussians", "--count", "100", "--out", y.path]).status == 0)
      let eval = try NCF.run(["eval", "--model", out.appendingPathComponent("model.ncf").path, "--source", x.path,
                              "--target", y.path])
      #expect(eval.status == 0, "\(eval)")
    }
  }

  @Test func gaussianBenchmarkDemoReportsUVP() throws {
    try withTemporaryDirectory { dir in
      let out = dir.appendingPathComponent("g")
      let result = try NCF.run(["demo", "--dataset", "gaussian-benchmark-2", "--iterations", "10", "--batch-size", "32",
                                "--points", "200", "--out", out.path, "-q"])
      try #require(result.status == 0, "\(result)")
      #expect(result.stdout.contains("forward UVP"))
      let report = try jsonObject(String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8))
      let test = try #require(report["test"] as? [String: Any])
      #expect(test["gaussianBenchmark"] is [String: Any])
    }
  }
}
