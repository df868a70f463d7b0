import Foundation
import Testing

/// `ncf bench w2`, the W2 datasets and `bench gaussian --train-points`, at tiny settings.
@Suite("W2 benchmark command")
struct W2BenchCommandTests {
  static let tiny = ["--iterations", "10", "--batch-size", "32", "--collocation-batch", "32", "--width", "8", "--depth", "1",
                     "--threads", "1", "--test-points", "512"]

  @Test func benchW2WritesTablesWithPublishedAndLinearRows() throws {
    try withTemporaryDirectory { dir in
      let prefix = dir.appendingPathComponent("w2").path
      let r = try NCF.run(["bench", "w2", "--dims", "2,4", "--out", prefix] + Self.tiny)
      try #require(r.status == 0, "\(r)")
      #expect(r.stderr.contains("w2 d=4 step"), "progress on stderr")
      for row in ["NCF (this run, 10 steps, fresh samples)", "linear map (moments of μ, ν)", "ENOT 2024", "Amos 2023", "best 2021 solver"] {
        #expect(r.stdout.contains(row), "missing row \(row)")
      }
      let markdown = try String(contentsOfFile: prefix + ".md", encoding: .utf8)
      #expect(markdown.contains("backward UVP (%)") && markdown.contains("fresh samples every step"))
      let report = try jsonObject(String(contentsOfFile: prefix + ".json", encoding: .utf8))
      let rows = try #require(report["rows"] as? [[String: Any]])
      #expect(rows.map { $0["dimension"] as? Int } == [2, 4])
      let model = try #require(rows[0]["model"] as? [String: Any])
      #expect(model["forwardUVP"] is Double && model["backwardCosine"] is Double)
      let linear = try #require(rows[0]["linear"] as? [String: Any])
      let linearUVP = try #require(linear["forwardUVP"] as? Double)
      #expect(linearUVP > 12 && linearUVP < 16, "the paper's linear row at d = 2 is 14.1 %, got \(linearUVP)")
      #expect((report["settings"] as? [String: Any])?["iterations"] as? Int == 10)
    }
  }

  @Test func finiteDataModeAddsTheMomentsOnlyRow() throws {
    let r = try NCF.run(["bench", "w2", "--dims", "2", "--train-points", "300", "--linear-only", "--test-points", "512"])
    try #require(r.status == 0, "\(r)")
    #expect(r.stdout.contains("moments-only map of the 300 training points"))
    #expect(!r.stdout.contains("NCF (this run"), "no training with --linear-only")
    let g = try NCF.run(["bench", "gaussian", "--dims", "2", "--iterations", "10", "--batch-size", "32", "--collocation-batch", "32",
                         "--width", "8", "--depth", "1", "--train-points", "300", "--test-points", "512"])
    try #require(g.status == 0, "\(g)")
    #expect(g.stdout.contains("moments-only fwd UVP %") && g.stdout.contains("moments-only map of the training points"))
  }

  @Test(arguments: [
    (["--dims", "3"], "the W2 benchmark has d = 2, 4, 8, 16, 32, 64, 128"),
    (["--dims", "2,x"], "--dims"),
    (["--cost", "pnormp:3"], "quadratic-cost map"),
    (["--train-points", "1"], "--train-points must be at least 2"),
  ])
  func badOptionsAreRefusedBeforeAnyWork(args: [String], message: String) throws {
    let r = try NCF.run(["bench", "w2"] + args + ["--linear-only"])
    #expect(r.status == 64, "\(r)")
    #expect(r.stderr.contains(message), "\(r)")
  }

  @Test func datasetsListAndSampleTheW2Pairs() throws {
    let list = try NCF.run(["datasets"])
    #expect(list.stdout.contains("w2-D:source") && list.stdout.contains("w2-D:target"))
    try withTemporaryDirectory { dir in
      let y = dir.appendingPathComponent("y.csv")
      let r = try NCF.run(["sample", "w2-8:target", "--count", "50", "--out", y.path])
      try #require(r.status == 0, "\(r)")
      let lines = try String(contentsOf: y, encoding: .utf8).split(separator: "\n")
      #expect(lines.count == 50 && lines.allSatisfy { $0.split(separator: ",").count == 8 })
      let pair = try NCF.run(["sample", "w2-8", "--count", "5", "--out", dir.appendingPathComponent("p.csv").path])
      #expect(pair.status != 0 && pair.stderr.contains("w2-8:source or w2-8:target"), "\(pair)")
      let bad = try NCF.run(["sample", "w2-5:source", "--count", "5", "--out", dir.appendingPathComponent("b.csv").path])
      #expect(bad.status != 0 && bad.stderr.contains("2, 4, 8, 16, 32, 64, 128"), "\(bad)")
    }
  }
}
