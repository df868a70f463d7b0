import Testing
import Foundation
import NCFTensor
import NCFFlows

/// Data with (almost) no spread on one side: refused with a message that says
/// what is wrong with the data, instead of a NaN loss or a model with an HJ
/// residual of 10²⁶ (issue 10, item 6).
@Suite struct DegenerateDataTests {
  static func normal(_ n: Int, seed: UInt64, mean: Double = 0, std: Double = 1) -> Tensor<Double> {
    var rng = SeededRandom(seed: seed)
    return Tensor<Double>.normal(rows: n, columns: 2, using: &rng).map { mean + std * $0 }
  }

  static func constant(_ n: Int, _ point: [Double]) -> Tensor<Double> {
    Tensor(rows: n, columns: point.count, scalars: (0..<n).flatMap { _ in point })
  }

  @Test func aConstantSideIsRefusedWithAMessageAboutTheData() throws {
    let spread = Self.normal(300, seed: 1)
    let point = Self.constant(300, [1.5, -2])
    let source = try #require(NCFProblem(source: point, target: spread).issue?.description)
    #expect(source.contains("source") && source.contains("same point"), "\(source)")
    let target = try #require(NCFProblem(source: spread, target: point).issue?.description)
    #expect(target.contains("target") && target.contains("same point"), "\(target)")
    #expect(target.contains("(1.5, -2)"), "the message names the point every source point maps to: \(target)")
    #expect(NCFProblem(source: point, target: Self.constant(300, [0, 0])).issue != nil)
    #expect(NCFProblem(source: point, target: point).issue != nil)
  }

  @Test func spreadAtRoundingLevelCountsAsNone() throws {
    // Points that differ only in the last bits of their coordinates.
    var rng = SeededRandom(seed: 2)
    let nearlyConstant = Tensor<Double>(rows: 200, columns: 2) { out in
      for k in 0..<400 { out[k] = 1e3 * (1 + 1e-14 * rng.normal()) }
    }
    #expect(NCFProblem(source: Self.normal(200, seed: 3), target: nearlyConstant).issue != nil)
    // Both sides together at one point, up to rounding.
    #expect(NCFProblem(source: nearlyConstant, target: nearlyConstant.map { $0 * (1 + 1e-15) }).issue != nil)
  }

  @Test func concentratedButRealDataIsAccepted() {
    // A target 100× narrower than the source, and data far from the origin.
    #expect(NCFProblem(source: Self.normal(300, seed: 4), target: Self.normal(300, seed: 5, mean: 3, std: 0.01)).issue == nil)
    #expect(NCFProblem(source: Self.normal(300, seed: 6, mean: 1e6), target: Self.normal(300, seed: 7, mean: 1e6 + 2)).issue == nil)
  }

  @Test func theTrainerRefusesAConstantTargetBeforeTraining() {
    var c = NCFTrainingConfiguration()
    c.iterations = 5
    c.energyBatch = 64
    c.collocationBatch = 64
    c.validationSize = 64
    c.width = 8
    #expect(throws: NCFSolverError.self) {
      try NCFSolver(settings: c).solve(NCFProblem(source: Self.normal(300, seed: 8), target: Self.constant(300, [3, 1])))
    }
  }

  /// Samplers cannot be checked up front, so the moment start itself must
  /// not divide by a zero covariance: with a constant source it falls back to
  /// the translation between the means instead of a head of size 10⁹.
  @Test func theMomentStartSurvivesAConstantSource() throws {
    var c = NCFTrainingConfiguration()
    c.iterations = 0
    c.energyBatch = 128
    c.collocationBatch = 128
    c.validationSize = 128
    c.width = 8
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, _ in Self.constant(n, [0.5, 0.5]) },
      target: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng) })
    let model = try NCFSolver(settings: c).solve(problem).model
    for name in PotentialNetwork.headParameterNames {
      let p = try #require(model.parameters[name])
      #expect(p.scalars.allSatisfy { $0.isFinite && abs($0) < 100 }, "\(name): \(p.scalars.prefix(4))")
    }
    c.iterations = 30
    #expect(throws: Never.self) { try NCFSolver(settings: c).solve(problem) }
  }

  /// A narrow target (spread ratio 1:30): the Gaussian solution's P(t) has a
  /// pole just past t_f, which the head's cubic cannot follow (training from it
  /// ended with an HJ residual of 5·10³ after 500 steps). The start is then the
  /// translation between the means, an exact HJ solution (residual 0), while a
  /// moderate ratio (1:2) keeps the Gaussian start.
  @Test(arguments: [(1.0 / 30, true), (0.5, false)])
  func theMomentStartIsTheTranslationWhenTheCubicCannotFollow(ratio: Double, expectTranslation: Bool) throws {
    var c = NCFTrainingConfiguration()
    c.iterations = 0
    c.energyBatch = 256
    c.collocationBatch = 256
    c.validationSize = 1024
    c.width = 8
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng) },
      target: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng).map { 3 + ratio * $0 } })
    let model = try NCFSolver(settings: c).solve(problem).model
    let a = try #require(model.parameters["head.A0"])
    #expect(a.scalars.allSatisfy { $0 == 0 } == expectTranslation, "A0 = \(a.scalars)")
    if expectTranslation {
      let residual = try #require(model.certificate?.hjResidual)
      #expect(residual < 1e-9, "the translation solves the HJ equation exactly: residual \(residual)")
    }
  }
}
