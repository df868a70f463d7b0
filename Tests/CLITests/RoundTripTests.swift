import Foundation
import Testing

@Suite("train, map, eval, plot on real files")
struct RoundTripTests {
  /// N(0, I) → N((2, −1), I/4): the optimal map is T(x) = x/2 + (2, −1).
  @Test func trainMapEvalRoundTrip() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 600)
      let model = dir.appendingPathComponent("model.ncf")
      let train = try NCF.run([
        "train", "--source", x.path, "--target", y.path, "--out", model.path, "--iterations", "300",
        "--batch-size", "256", "--collocation-batch", "256", "--threads", "1", "--seed", "1",
      ])
      try #require(train.status == 0, "\(train)")
      #expect(exists(model))
      #expect(train.stdout.contains("trained 300 of 300 steps"))
      #expect(train.stdout.contains("HJ residual"))
      #expect(train.stdout.contains("model written to \(model.path)"))
      #expect(train.stderr.contains("step 300/300"), "progress lines go to stderr when it is not a terminal")

      // Forward map, CSV output: close to the closed-form map on average.
      let tx = dir.appendingPathComponent("tx.csv")
      let map = try NCF.run(["map", "--model", model.path, "--input", x.path, "--out", tx.path])
      try #require(map.status == 0, "\(map)")
      #expect(map.stdout.contains("mapped 600 points (forward)"))
      let mapped = try readCSV(tx)
      #expect(mapped.count == 600 && mapped.allSatisfy { $0.count == 2 })
      let mean = (0..<2).map { k in mapped.reduce(0) { $0 + $1[k] } / Double(mapped.count) }
      #expect(abs(mean[0] - 2) < 0.4 && abs(mean[1] + 1) < 0.4, "mean of T(x): \(mean)")

      // Backward map, .npy float32 output: 600×2 float32 = 4800 data bytes after a 128-byte header.
      let sy = dir.appendingPathComponent("sy.npy")
      let back = try NCF.run(["map", "--model", model.path, "--input", y.path, "--direction", "backward",
                              "--out", sy.path, "--precision", "float32"])
      try #require(back.status == 0, "\(back)")
      let size = try #require(try FileManager.default.attributesOfItem(atPath: sy.path)[.size] as? Int)
      #expect(size == 128 + 600 * 2 * 4)

      // Interpolation: t = 0 is the identity, t = 1 the forward map.
      let t0 = dir.appendingPathComponent("t0.csv"), t1 = dir.appendingPathComponent("t1.csv")
      let xcsv = dir.appendingPathComponent("x.csv")
      let asCSV = try NCF.run(["map", "--model", model.path, "--input", x.path, "--out", xcsv.path, "--time", "0"])
      try #require(asCSV.status == 0, "\(asCSV)")
      try #require(try NCF.run(["map", "--model", model.path, "--input", xcsv.path, "--out", t0.path, "--time", "0"]).status == 0)
      try #require(try NCF.run(["map", "--model", model.path, "--input", x.path, "--out", t1.path, "--time", "1"]).status == 0)
      #expect(try readCSV(t0) == readCSV(xcsv))
      #expect(try readCSV(t1) == mapped)

      // Eval, text and JSON: the map closes most of the energy distance.
      let text = try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path])
      try #require(text.status == 0, "\(text)")
      #expect(text.stdout.contains("T♯source vs target (forward)"))
      #expect(text.stdout.contains("source vs target, no map"))
      let json = try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path, "--json"])
      try #require(json.status == 0, "\(json)")
      let report = try jsonObject(json.stdout)
      let evaluation = try #require(report["evaluation"] as? [String: Any])
      let reference = try #require(evaluation["referenceEnergyDistance"] as? Double)
      let forward = try #require(evaluation["forwardEnergyDistance"] as? Double)
      let backward = try #require(evaluation["backwardEnergyDistance"] as? Double)
      #expect(reference > 1)
      #expect(forward < 0.2 * reference, "forward \(forward) vs reference \(reference)")
      #expect(backward < 0.3 * reference, "backward \(backward) vs reference \(reference)")
      #expect(evaluation["hjResidual"] is Double)
      #expect(evaluation["transportCost"] is Double)
      #expect(report["dimension"] as? Int == 2)
      #expect(report["trainedSteps"] as? Int == 300)
    }
  }

  @Test func gaussianBenchmarkScores() throws {
    try withTemporaryDirectory { dir in
      let x = dir.appendingPathComponent("gx.npy"), y = dir.appendingPathComponent("gy.npy")
      #expect(try NCF.run(["sample", "gaussian-benchmark-2:source", "--count", "400", "--out", x.path]).status == 0)
      #expect(try NCF.run(["sample", "gaussian-benchmark-2:target", "--count", "400", "--seed", "1", "--out", y.path]).status == 0)
      let model = dir.appendingPathComponent("g.ncf")
      let train = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", model.path] + Fixtures.tinyTraining)
      try #require(train.status == 0, "\(train)")
      let json = try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path,
                              "--gaussian-benchmark", "2", "--json"])
      try #require(json.status == 0, "\(json)")
      let evaluation = try #require(try jsonObject(json.stdout)["evaluation"] as? [String: Any])
      let scores = try #require(evaluation["gaussianBenchmark"] as? [String: Any])
      #expect(scores["forwardUVP"] is Double && scores["backwardCosine"] is Double)
      let text = try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path, "--gaussian-benchmark", "2"])
      #expect(text.stdout.contains("forward UVP"))
    }
  }

  @Test func classConditionalTraining() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 120)
      let a = dir.appendingPathComponent("a.npy"), b = dir.appendingPathComponent("b.csv")
      try a.write(NPYFixture.labels((0..<120).map { $0 % 3 }))
      try b.write("label\n" + (0..<120).map { "\(($0 + 1) % 3)\n" }.joined())
      let model = dir.appendingPathComponent("c.ncf")
      let result = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", model.path,
                                "--source-labels", a.path, "--target-labels", b.path] + Fixtures.tinyTraining)
      #expect(result.status == 0, "\(result)")
      #expect(exists(model))
    }
  }

  @Test func plotDrawsTheFigureWithLossCurves() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 150)
      let model = dir.appendingPathComponent("m.ncf"), log = dir.appendingPathComponent("train.jsonl")
      let config = dir.appendingPathComponent("log-often.json")
      try config.write(#"{"logInterval": 2}"#)
      let train = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", model.path, "--log", log.path,
                               "--config", config.path, "--iterations", "20", "--batch-size", "32", "--collocation-batch", "32", "--width", "8",
                               "--depth", "1", "--threads", "1", "--quiet"])
      try #require(train.status == 0, "\(train)")
      #expect(train.stderr.isEmpty, "--quiet prints no progress: \(train.stderr)")
      let records = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
      #expect(records.count == 10)
      #expect(try records.allSatisfy { try jsonObject(String($0))["hj_loss"] is Double })

      let svg = dir.appendingPathComponent("fig.svg")
      let plot = try NCF.run(["plot", "--model", model.path, "--source", x.path, "--target", y.path, "--out", svg.path,
                              "--segments", "25", "--log", log.path])
      try #require(plot.status == 0, "\(plot)")
      let counter = try #require(SVGCounter.parse(try Data(contentsOf: svg)), "figure.svg is not well-formed XML")
      #expect(counter.segmentLines == 25)
      #expect(counter.elementCounts["polyline", default: 0] >= 1, "loss curves")
    }
  }

  @Test func interruptSavesTheModelAndExits130() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 100)
      let model = dir.appendingPathComponent("int.ncf")
      let running = try NCF.start(["train", "--source", x.path, "--target", y.path, "--out", model.path,
                                   "--iterations", "10000000", "--batch-size", "16", "--collocation-batch", "16",
                                   "--width", "8", "--depth", "1", "--threads", "1", "--validation-interval", "0"])
      // Wait for the first progress line: by then the Ctrl-C handler is installed.
      let deadline = Date().addingTimeInterval(60)
      while !running.stderrSoFar.contains("step ") && running.process.isRunning && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.05)
      }
      running.process.interrupt()
      let stopDeadline = Date().addingTimeInterval(60)
      while running.process.isRunning && Date() < stopDeadline { Thread.sleep(forTimeInterval: 0.05) }
      if running.process.isRunning {
        running.process.terminate()
        Issue.record("ncf train ignored Ctrl-C")
      }
      let result = try running.finish()
      #expect(!result.signalled, "\(result)")
      #expect(result.status == 130, "\(result)")
      #expect(exists(model))
      #expect(result.stdout.contains("stopped after"))
      #expect(result.stderr.contains("saved the model"))
      // The interrupted model is a valid model.
      #expect(try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path]).status == 0)
    }
  }

  @Test func nonFiniteLossSavesNothingUnlessAsked() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 100)
      let model = dir.appendingPathComponent("nan.ncf")
      let args = ["train", "--source", x.path, "--target", y.path, "--out", model.path, "--learning-rate", "1e6",
                  "--iterations", "50", "--batch-size", "32", "--collocation-batch", "32", "--threads", "1", "--quiet"]
      let failed = try NCF.run(args)
      #expect(failed.status == 1, "\(failed)")
      #expect(failed.stderr.contains("non-finite"))
      #expect(failed.stderr.contains("nothing was saved"))
      #expect(!exists(model))
      let saved = try NCF.run(args + ["--save-on-failure"])
      #expect(saved.status == 1, "\(saved)")
      #expect(saved.stderr.contains("saved the last finite parameters to \(model.path)"))
      #expect(exists(model))
    }
  }

  @Test func datasetsAndSample() throws {
    let list = try NCF.run(["datasets"])
    #expect(list.status == 0)
    for name in ["gaussian", "8gaussians", "moons", "circles", "checkerboard", "spirals", "swissroll", "gaussian-benchmark-D"] {
      #expect(list.stdout.contains(name), "\(name) missing from ncf datasets")
    }
    try withTemporaryDirectory { dir in
      let a = dir.appendingPathComponent("a.csv"), b = dir.appendingPathComponent("b.csv")
      let labels = dir.appendingPathComponent("l.csv")
      #expect(try NCF.run(["sample", "moons", "--count", "50", "--seed", "3", "--out", a.path, "--labels-out", labels.path]).status == 0)
      #expect(try NCF.run(["sample", "moons", "--count", "50", "--seed", "3", "--out", b.path]).status == 0)
      #expect(try readCSV(a) == readCSV(b), "same name, count and seed give the same points")
      #expect(try readCSV(a).count == 50)
      let pair = try NCF.run(["sample", "gaussian-benchmark-3", "--out", dir.appendingPathComponent("g.npy").path])
      #expect(pair.status != 0 && pair.stderr.contains(":source"))
    }
  }
}
