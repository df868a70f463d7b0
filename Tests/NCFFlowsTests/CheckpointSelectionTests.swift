import Testing
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// The held-out checkpoint rule on fixed samples (short seeded runs).
@Suite(.serialized) struct CheckpointSelectionTests {
  static func config(iterations: Int, learningRate: Double = 3e-3) -> NCFTrainingConfiguration {
    var c = TrainingTests.config(iterations: iterations, batch: 256)
    c.learningRate = learningRate
    c.checkpointEvaluations = 5
    return c
  }

  /// n points per side of a Gaussian pair with non-zero means.
  static func gaussianFiles(n: Int) throws -> NCFProblem {
    let pair = try ClosedFormTests.randomPair(dimension: 2, seed: 2)
    var rng = SeededRandom(seed: 9)
    return NCFProblem(source: pair.source.sample(n, using: &rng), target: pair.target.sample(n, using: &rng))
  }

  /// On a Gaussian pair step 0 is already the moments' closed form; short
  /// training at a high learning rate does not beat it on the held-out
  /// points, so the rule must return the step-0 model, exactly.
  @Test func returnsTheMomentsModelWhenTrainingDoesNotBeatIt() throws {
    let problem = try Self.gaussianFiles(n: 3000)
    let start = try NCFSolver(settings: Self.config(iterations: 0)).solve(problem)
    let output = try NCFSolver(settings: Self.config(iterations: 150, learningRate: 3e-2)).solve(problem)
    let choice = try #require(output.certificate.checkpoint)
    #expect(choice.step == 0 && choice.reason == .noneBeatStart, "\(choice.summary)")
    #expect(choice.evaluations.count == 6 && choice.foldSize == 30 && choice.folds == 10)
    #expect(output.model.parameters == start.model.parameters)
    #expect(output.steps == 150 && output.certificate.step == 0)
    #expect(choice.evaluations.last?.step == 150 && !choice.evaluations.contains(where: \.beatsStart))
    // With the rule off the last step is returned.
    var lastRule = Self.config(iterations: 150, learningRate: 3e-2)
    lastRule.checkpointRule = .last
    let plain = try NCFSolver(settings: lastRule).solve(problem)
    #expect(plain.certificate.checkpoint == nil && plain.certificate.step == 150)
    #expect(plain.model.parameters != start.model.parameters)
  }

  /// Where training does help (a non-linear map the moments cannot
  /// represent), the rule keeps a trained checkpoint, and it is
  /// deterministic by seed.
  @Test func keepsATrainedCheckpointThatBeatsTheStart() throws {
    var rng = SeededRandom(seed: 4)
    let x = Tensor<Double>.normal(rows: 4000, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: 4000, columns: 2, using: &rng).map { $0 + 0.6 * Foundation.tanh(2 * $0) }
    let problem = NCFProblem(source: x, target: y)
    let a = try NCFSolver(settings: Self.config(iterations: 300)).solve(problem)
    let choice = try #require(a.certificate.checkpoint)
    #expect(choice.step > 0 && choice.reason == .beatStart, "\(choice.summary)")
    let kept = try #require(choice.kept)
    #expect(kept.beatsStart && choice.evaluations.filter(\.beatsStart).allSatisfy { $0.heldOutEnergy >= kept.heldOutEnergy })
    #expect(a.certificate.step == choice.step)
    let b = try NCFSolver(settings: Self.config(iterations: 300)).solve(problem)
    #expect(b.certificate.checkpoint == choice && b.model.parameters == a.model.parameters)
  }

  /// Samplers (no finite data) and labelled problems keep the last step.
  @Test func samplersKeepTheLastStep() throws {
    let pair = try GaussianBenchmark.pair(dimension: 2)
    let output = try NCFSolver(settings: Self.config(iterations: 20)).solve(TrainingTests.gaussianProblem(pair))
    #expect(output.certificate.checkpoint == nil && output.certificate.step == 20)
  }

  @Test func scheduleIsEvenlySpacedAndEndsAtTheLastStep() {
    #expect(CheckpointChoice.scoringSteps(iterations: 1500, count: 15) == Set(stride(from: 100, through: 1500, by: 100)))
    #expect(CheckpointChoice.scoringSteps(iterations: 3, count: 15) == [1, 2, 3])
    #expect(CheckpointChoice.scoringSteps(iterations: 0, count: 15).isEmpty)
  }
}
