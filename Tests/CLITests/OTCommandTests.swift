import Foundation
import Testing

/// `ncf ot` on small point sets whose optimal plans are known.
@Suite("ot command")
struct OTCommandTests {
  /// Reads a plan CSV written by --plan-out (header i,j,mass).
  static func planCSV(_ url: URL) throws -> [(i: Int, j: Int, mass: Double)] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    try #require(lines.first == "i,j,mass")
    return lines.dropFirst().map { line in
      let f = line.split(separator: ",")
      return (Int(f[0])!, Int(f[1])!, Double(f[2])!)
    }
  }

  /// Points on a line, x = (0, 1, 2, 3), y = x + 10 shuffled: the optimal
  /// plan for ‖x − y‖² is the monotone matching, cost 100.
  static func linePair(in dir: URL) throws -> (URL, URL) {
    let x = dir.appendingPathComponent("x.csv"), y = dir.appendingPathComponent("y.npy")
    try x.write(csv([[0], [1], [2], [3]]))
    try y.write(NPYFixture.float64([[12], [10], [13], [11]]))
    return (x, y)
  }

  @Test("exact: certified optimal cost, plan as CSV and .npy")
  func exact() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Self.linePair(in: dir)
      let plan = dir.appendingPathComponent("plan.csv")
      let r = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--plan-out", plan.path])
      try #require(r.status == 0, "\(r)")
      #expect(r.stdout.contains("CERTIFIED OPTIMAL"))
      #expect(r.stdout.contains("optimal cost: 100"))
      #expect(r.stdout.contains("squared Euclidean"))
      #expect(r.stdout.contains("reduced-cost violation"))
      #expect(r.stdout.contains("time:"))
      let entries = try Self.planCSV(plan)
      #expect(entries.map { [$0.i, $0.j] } == [[0, 1], [1, 3], [2, 0], [3, 2]])
      #expect(entries.allSatisfy { $0.mass == 0.25 })

      // .npy: 4×3 float64 = 96 data bytes after a 128-byte header.
      let npy = dir.appendingPathComponent("plan.npy")
      let r2 = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--plan-out", npy.path, "--json"])
      try #require(r2.status == 0, "\(r2)")
      let size = try #require(try FileManager.default.attributesOfItem(atPath: npy.path)[.size] as? Int)
      #expect(size == 128 + 4 * 3 * 8)
      let json = try jsonObject(r2.stdout)
      #expect(json["cost"] as? Double == 100)
      #expect(json["cost_function"] as? String == "sqeuclidean")
      #expect((json["exact"] as? [String: Any])?["certified"] as? Bool == true)
      #expect((json["plan"] as? [String: Any])?["nonzeros"] as? Int == 4)
      #expect(json["seconds"] is [String: Any])
    }
  }

  @Test("costs: euclidean and lp:1 give the W1 cost of the line pair (10); lp:2 equals sqeuclidean")
  func costs() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Self.linePair(in: dir)
      for (cost, value) in [("euclidean", 10.0), ("lp:1", 10.0), ("lp:2", 100.0)] {
        let r = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--cost", cost, "--json"])
        try #require(r.status == 0, "\(r)")
        let got = try #require(try jsonObject(r.stdout)["cost"] as? Double)
        #expect(abs(got - value) < 1e-12, "\(cost): \(got)")
      }
    }
  }

  @Test("weights from a 1-D .npy and a CSV column; unequal masses need --normalize-masses")
  func weights() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Self.linePair(in: dir)
      // Source mass only on points 0 and 3 (1-D int array); target uniform via a CSV column.
      let a = dir.appendingPathComponent("a.npy"), b = dir.appendingPathComponent("b.csv")
      try a.write(NPYFixture.labels([1, 0, 0, 1]))
      try b.write("w\n0.25\n0.25\n0.25\n0.25\n")
      let plan = dir.appendingPathComponent("p.csv")
      let unequal = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--source-weights", a.path,
                                 "--target-weights", b.path])
      #expect(unequal.status != 0)
      #expect(unequal.stderr.contains("--normalize-masses"), "\(unequal)")
      let r = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--source-weights", a.path,
                           "--target-weights", b.path, "--normalize-masses", "--plan-out", plan.path])
      try #require(r.status == 0, "\(r)")
      // Masses 1/2 at 0 and 3 onto 1/4 at 10, 11, 12, 13: 0 → {10, 11}, 3 → {12, 13}.
      let entries = try Self.planCSV(plan)
      #expect(entries.allSatisfy { $0.i == 0 || $0.i == 3 })
      let cost = 0.25 * (100 + 121) + 0.25 * (81 + 100)
      #expect(r.stdout.contains(String(format: "optimal cost: %.12g", cost)), "\(r.stdout)")
    }
  }

  @Test("sinkhorn: converged result close to the exact cost, dense plan")
  func sinkhorn() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Self.linePair(in: dir)
      let plan = dir.appendingPathComponent("p.csv")
      let r = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--method", "sinkhorn", "--epsilon", "0.5",
                           "--json", "--plan-out", plan.path])
      try #require(r.status == 0, "\(r)")
      let json = try jsonObject(r.stdout)
      let s = try #require(json["sinkhorn"] as? [String: Any])
      #expect(s["converged"] as? Bool == true)
      #expect(s["epsilon"] as? Double == 0.5)
      #expect((s["iterations"] as? Int ?? 0) > 0)
      let cost = try #require(json["cost"] as? Double)
      #expect(cost >= 100 - 1e-9 && cost < 101, "entropic cost \(cost) vs exact 100")
      #expect(try Self.planCSV(plan).count == 16)
    }
  }

  @Test("sinkhorn with ε too small: NOT CONVERGED, exit 1, no plan; --accept-unconverged keeps it with a warning")
  func notConverged() throws {
    try withTemporaryDirectory { dir in
      var rng = TestRandom(5)
      let x = dir.appendingPathComponent("x.npy"), y = dir.appendingPathComponent("y.npy")
      try x.write(NPYFixture.float64(rng.normalRows(60, 2)))
      try y.write(NPYFixture.float64(rng.normalRows(60, 2)))
      let plan = dir.appendingPathComponent("p.csv")
      let args = ["ot", "--source", x.path, "--target", y.path, "--method", "sinkhorn", "--epsilon", "1e-6",
                  "--max-iterations", "50", "--plan-out", plan.path]
      let r = try NCF.run(args)
      #expect(r.status == 1, "\(r)")
      #expect(r.stdout.contains("NOT CONVERGED"))
      #expect(!r.stdout.contains("converged in"))
      let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errors.count == 1 && errors[0].contains("did not converge"), "\(r)")
      #expect(!exists(plan))

      let kept = try NCF.run(args + ["--accept-unconverged", "--json"])
      #expect(kept.status == 0, "\(kept)")
      #expect(kept.stderr.contains("warning: Sinkhorn did not converge"))
      #expect((try jsonObject(kept.stdout)["sinkhorn"] as? [String: Any])?["converged"] as? Bool == false)
      #expect(try jsonObject(kept.stdout)["trustworthy"] as? Bool == false)
      #expect(exists(plan))
    }
  }

  enum BadCase: String, CaseIterable, Sendable {
    case missingSource, dimensionMismatch, weightCount, negativeWeight, weightsTwoColumns, nanPoint, badCost,
      epsilonWithExact, planExtension, planDirectoryMissing, zeroWeights
  }

  @Test("bad inputs give one-line errors and write no plan", arguments: BadCase.allCases)
  func badInput(_ c: BadCase) throws {
    try withTemporaryDirectory { dir in
      func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
      let (x, y) = try OTCommandTests.linePair(in: dir)
      var source = x.path, target = y.path, plan = path("plan.csv")
      var extra: [String] = []
      let expected: String
      switch c {
      case .missingSource:
        source = path("nothere.npy")
        expected = "no such file"
      case .dimensionMismatch:
        try dir.appendingPathComponent("y2.csv").write(csv([[1, 2], [3, 4]]))
        target = path("y2.csv")
        expected = "columns"
      case .weightCount:
        try dir.appendingPathComponent("a.csv").write("1\n1\n1\n")
        extra = ["--source-weights", path("a.csv")]
        expected = "3 weights"
      case .negativeWeight:
        try dir.appendingPathComponent("a.npy").write(NPYFixture.float64([[0.5], [-0.25], [0.5], [0.25]]))
        extra = ["--source-weights", path("a.npy")]
        expected = "weight 1 (0-based) is -0.25"
      case .weightsTwoColumns:
        try dir.appendingPathComponent("a.csv").write(csv([[1, 2], [1, 2], [1, 2], [1, 2]]))
        extra = ["--source-weights", path("a.csv")]
        expected = "one column"
      case .nanPoint:
        try dir.appendingPathComponent("nan.csv").write("0\nnan\n2\n3\n")
        source = path("nan.csv")
        expected = "non-finite"
      case .badCost:
        extra = ["--cost", "lp:0.5"]
        expected = "unknown cost"
      case .epsilonWithExact:
        extra = ["--epsilon", "0.1"]
        expected = "--method sinkhorn"
      case .planExtension:
        plan = path("plan.txt")
        expected = ".csv or .npy"
      case .planDirectoryMissing:
        plan = path("none/plan.csv")
        expected = "does not exist"
      case .zeroWeights:
        try dir.appendingPathComponent("z.csv").write("0\n0\n0\n0\n")
        extra = ["--target-weights", path("z.csv"), "--normalize-masses"]
        expected = "sum to zero"
      }
      let before = listing(dir)
      let r = try NCF.run(["ot", "--source", source, "--target", target, "--plan-out", plan] + extra)
      #expect(!r.signalled && r.status != 0, "\(c)\n\(r)")
      let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errors.count == 1, "\(c): expected one error line\n\(r)")
      #expect(errors.first?.contains(expected) == true, "\(c): message lacks '\(expected)': \(r.stderr)")
      #expect(listing(dir) == before, "\(c): the directory changed")
    }
  }
}
