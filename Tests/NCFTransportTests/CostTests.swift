import Testing
import Foundation
import NCFTensor
import NCFTransport

/// The cost vocabulary: every spelling, its meaning, the refusals and the
/// stored form.
@Suite struct CostTests {
  @Test func canonicalSpellingsReadBackToThemselves() throws {
    let costs: [Cost] = [.quadratic, .sqeuclidean, .euclidean, .lp(1), .lp(3), .lp(1.5), .pnormp(3), .pnormp(1.5), .pnormp(1)]
    for cost in costs {
      let parsed = try Cost.parse(cost.name)
      #expect(parsed.cost == cost, "\(cost.name)")
      #expect(parsed.deprecation == nil)
      #expect(try Cost.parse(cost.name.uppercased()).cost == cost)
    }
    #expect(Cost.lp(3).name == "lp:3" && Cost.pnormp(1.5).name == "pnormp:1.5")
    // pnormp:2 is ½‖x − y‖², the quadratic cost.
    #expect(try Cost.parse("pnormp:2").cost == .quadratic)
  }

  @Test func theHalfIsStatedWhereItApplies() {
    #expect(Cost.quadratic.formula == "½‖x − y‖²")
    #expect(Cost.quadratic.definition.contains("½‖x − y‖²"))
    #expect(Cost.sqeuclidean.definition.contains("no ½"))
    #expect(Cost.pnormp(3).formula.hasSuffix("/ 3"))
    #expect(!Cost.lp(3).formula.contains("/"))
  }

  @Test func oldSpellingsWithTheSameMeaningAreDeprecated() throws {
    for old in ["sq-euclidean", "l2sq"] {
      let parsed = try Cost.parse(old)
      #expect(parsed.cost == .sqeuclidean)
      #expect(parsed.deprecation?.contains("write sqeuclidean") == true, "\(old)")
    }
  }

  @Test func anAmbiguousOldSpellingIsRefusedWithBothReplacements() {
    do {
      _ = try Cost.parse("l2")
      Issue.record("l2 was accepted")
    } catch {
      #expect(error.description.contains("write quadratic (½‖x − y‖²) or euclidean (‖x − y‖)"), "\(error)")
    }
  }

  @Test func malformedSpellingsAreUnknown() {
    for bad in ["lp:0.5", "lp:x", "pnormp:0", "lp:inf", "manhattan", "", "lp"] {
      #expect(throws: CostSpellingError.self, "\(bad)") { try Cost.parse(bad) }
      #expect(Cost(bad) == nil)
    }
  }

  /// NCF trains with the costs that have a smooth Hamiltonian; the others
  /// are refused with the reason and the spelling to use.
  @Test func ncfRefusesCostsWithoutASmoothHamiltonian() {
    #expect(Cost.quadratic.hamiltonian is QuadraticHamiltonian && Cost.quadratic.ncfRefusal == nil)
    #expect((Cost.pnormp(3).hamiltonian as? PNormHamiltonian)?.costExponent == 3)
    #expect(Cost.pnormp(3).hamiltonianDegree == 1.5)
    let refusals: [(Cost, String)] = [
      (.sqeuclidean, "write quadratic"), (.euclidean, "no smooth Hamiltonian"), (.lp(3), "write pnormp:3"),
      (.lp(1), "no smooth Hamiltonian"), (.pnormp(1), "no smooth Hamiltonian"),
    ]
    for (cost, reason) in refusals {
      #expect(cost.hamiltonian == nil, "\(cost.name)")
      #expect(cost.ncfRefusal?.contains(reason) == true, "\(cost.name): \(cost.ncfRefusal ?? "nil")")
    }
  }

  /// Scaling a cost leaves the optimal plan unchanged: sqeuclidean and
  /// quadratic, and lp:P and pnormp:P, give the same plan and costs in ratio 2 and P.
  @Test func scaledSpellingsGiveTheSamePlan() throws {
    var rng = SeededRandom(seed: 5)
    let x = Tensor<Double>.normal(rows: 30, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: 30, columns: 2, mean: 1, using: &rng)
    for (full, scaled, factor) in [(Cost.sqeuclidean, Cost.quadratic, 2.0), (.lp(3), .pnormp(3), 3.0)] {
      let a = try NetworkSimplex()(DiscreteOTProblem(source: x, target: y, cost: full))
      let b = try NetworkSimplex()(DiscreteOTProblem(source: x, target: y, cost: scaled))
      #expect(a.support.map { [$0.row, $0.column] } == b.support.map { [$0.row, $0.column] })
      #expect(abs(a.cost - factor * b.cost) <= 1e-12 * a.cost)
    }
  }

  /// Model files store the NCF costs as format version 1 did
  /// (`{"quadratic":{}}`, `{"lp":{"_0":P}}` for Σ|·|ᴾ/P); every cost round-trips.
  @Test func storedFormIsFormatVersionOne() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(String(decoding: try encoder.encode(Cost.quadratic), as: UTF8.self) == #"{"quadratic":{}}"#)
    #expect(String(decoding: try encoder.encode(Cost.pnormp(3)), as: UTF8.self) == #"{"lp":{"_0":3}}"#)
    #expect(try JSONDecoder().decode(Cost.self, from: Data(#"{"lp":{"_0":1.5}}"#.utf8)) == .pnormp(1.5))
    for cost in [Cost.quadratic, .sqeuclidean, .euclidean, .lp(2.5), .pnormp(4)] {
      #expect(try JSONDecoder().decode(Cost.self, from: encoder.encode(cost)) == cost)
    }
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Cost.self, from: Data(#"{"lp":{"_0":1}}"#.utf8)) }
  }
}
