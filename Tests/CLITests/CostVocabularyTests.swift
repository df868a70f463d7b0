import Foundation
import Testing

/// One cost vocabulary on every command: the same spelling means the same
/// cost, outputs print the formula, old spellings are deprecated or refused.
@Suite("cost vocabulary")
struct CostVocabularyTests {
  /// The `cost: …` line a command printed.
  static func costLine(_ output: String) -> String? {
    output.split(separator: "\n").first { $0.hasPrefix("cost: ") }.map(String.init)
  }

  @Test("every command prints the same definition for the same spelling, the ½ included")
  func sameMeaningEverywhere() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 40)
      for (spelling, formula) in [("quadratic", "½‖x − y‖²"), ("pnormp:3", "Σₖ |xₖ − yₖ|^3 / 3")] {
        let train = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", dir.appendingPathComponent("m.ncf").path,
                                 "--cost", spelling, "--dry-run"])
        let ot = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--cost", spelling])
        try #require(train.status == 0 && ot.status == 0, "\(train)\n\(ot)")
        let line = try #require(Self.costLine(train.stdout))
        #expect(line.contains(formula), "\(line)")
        #expect(Self.costLine(ot.stdout) == line)
      }
    }
  }

  @Test("ot: quadratic is half of sqeuclidean, pnormp:P is lp:P over P, same plans")
  func scaledCosts() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try OTCommandTests.linePair(in: dir)
      func cost(_ spelling: String) throws -> Double {
        let r = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--cost", spelling, "--json"])
        try #require(r.status == 0, "\(r)")
        let json = try jsonObject(r.stdout)
        #expect(json["cost_function"] as? String == spelling)
        return try #require(json["cost"] as? Double)
      }
      #expect(try cost("sqeuclidean") == 100)
      #expect(try cost("quadratic") == 50)
      #expect(abs(try cost("lp:3") - 3 * cost("pnormp:3")) < 1e-12)
    }
  }

  @Test("l2, which meant ½‖x − y‖² in train and ‖x − y‖ in ot, is refused on both with both replacements")
  func ambiguousSpellingRefused() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 40)
      for args in [["train", "--out", dir.appendingPathComponent("m.ncf").path], ["ot"]] {
        let r = try NCF.run(args + ["--source", x.path, "--target", y.path, "--cost", "l2"])
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("write quadratic (½‖x − y‖²) or euclidean (‖x − y‖)"), "\(r)")
      }
    }
  }

  @Test("old spellings with an unchanged meaning work with a deprecation note")
  func deprecatedSpelling() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try OTCommandTests.linePair(in: dir)
      let r = try NCF.run(["ot", "--source", x.path, "--target", y.path, "--cost", "l2sq"])
      #expect(r.status == 0, "\(r)")
      #expect(r.stdout.contains("optimal cost: 100"))
      #expect(r.stderr.contains("deprecated; write sqeuclidean"), "\(r)")
    }
  }

  @Test("train refuses costs NCF cannot train with, saying why and what to write", arguments: [
    ("sqeuclidean", "write quadratic"), ("euclidean", "no smooth Hamiltonian"), ("lp:3", "write pnormp:3"),
    ("pnormp:1", "no smooth Hamiltonian"),
  ])
  func trainRefusals(spelling: String, reason: String) throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 40)
      let out = dir.appendingPathComponent("m.ncf")
      for command in [["train", "--source", x.path, "--target", y.path, "--out", out.path], ["demo", "--out", dir.appendingPathComponent("d").path]] {
        let r = try NCF.run(command + ["--cost", spelling] + (command[0] == "train" ? Fixtures.tinyTraining : ["--iterations", "1", "-q"]))
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains(reason), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
      }
    }
  }

  @Test("a model trained with pnormp:P reports its cost in eval")
  func evalPrintsTheModelsCost() throws {
    try withTemporaryDirectory { dir in
      let (x, y) = try Fixtures.gaussianPair(in: dir, n: 60)
      let model = dir.appendingPathComponent("p.ncf")
      let train = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", model.path, "--cost", "pnormp:1.5"]
        + Fixtures.tinyTraining)
      try #require(train.status == 0, "\(train)")
      let eval = try NCF.run(["eval", "--model", model.path, "--source", x.path, "--target", y.path, "--json"])
      try #require(eval.status == 0, "\(eval)")
      let json = try jsonObject(eval.stdout)
      #expect(json["cost"] as? String == "pnormp:1.5")
      #expect((json["costDefinition"] as? String)?.contains("Σₖ |xₖ − yₖ|^1.5 / 1.5") == true)
    }
  }
}
