import Testing
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// The training benchmarks' hooks: they must run the solver's own step and
/// set-up, and the checkpoint hook must not change training.
@Suite(.serialized) struct TrainingBenchmarkTests {
  static func small() -> NCFTrainingConfiguration {
    var c = NCFTrainingConfiguration()
    (c.width, c.depth, c.energyBatch, c.collocationBatch, c.iterations) = (16, 2, 64, 64, 30)
    (c.validationInterval, c.validationSize, c.logInterval, c.seed) = (0, 256, 10, 3)
    return c
  }

  /// A checkpoint that always continues leaves the model bit for bit unchanged,
  /// is called every `interval` steps, and a checkpoint returning false stops training.
  @Test func checkpointObservesWithoutChangingTraining() throws {
    let c = Self.small()
    let (problem, _) = try TrainingBenchmark.gaussianProblem(dimension: 2)
    let plain = try NCFSolver(settings: c).solve(problem)
    var seen: [Int] = []
    let observed = try NCFSolver(settings: c).solve(problem, checkpoint: (7, { step, model in
      seen.append(step)
      #expect(model.parameters.names == plain.model.parameters.names)
      return true
    }))
    #expect(seen == [7, 14, 21, 28])
    #expect(observed.model.parameters.tensors.map(\.scalars) == plain.model.parameters.tensors.map(\.scalars))
    let stopped = try NCFSolver(settings: c).solve(problem, checkpoint: (5, { step, _ in step < 10 }))
    #expect(stopped.steps == 10 && stopped.stoppedEarly)
  }

  @Test func stepTimingReportsEveryRepeat() throws {
    let r = try TrainingBenchmark.timeSteps(dimension: 3, configuration: Self.small(), warmup: 1, steps: 2, repeats: 3)
    #expect(r.secondsPerStep.count == 3)
    #expect(r.secondsPerStep.allSatisfy { $0 > 0 && $0.isFinite })
    #expect(r.medianSecondsPerStep == r.secondsPerStep.sorted()[1])
    #expect(r.dimension == 3 && r.width == 16 && r.depth == 2 && r.head)
  }

  /// A threshold above the initial UVP is reached at the first score; one
  /// below any achievable value is reported as not reached.
  @Test func timeToUVPRecordsThresholds() throws {
    let r = try TrainingBenchmark.timeToUVP(dimension: 2, configuration: Self.small(), thresholds: [1e9, 1e-12],
                                            scoreEvery: 10, maxSeconds: 1e9, testPoints: 512)
    #expect(r.stepsToThreshold[0] == 10)
    #expect(r.secondsToThreshold[1] == nil && r.stepsToThreshold[1] == nil)
    #expect(r.trace.map(\.step) == [10, 20, 30])
    #expect(r.trace.allSatisfy { $0.forwardUVP.isFinite && $0.forwardUVP >= 0 })
    #expect(zip(r.trace, r.trace.dropFirst()).allSatisfy { $0.seconds <= $1.seconds })
  }

  /// The exported problem holds the solver's initial weights, the pair and the test points.
  @Test func exportedProblemMatchesTheSolversSetUp() throws {
    let c = Self.small()
    let p = try ReferenceProblem(dimension: 2, configuration: c, testPoints: 100)
    var zero = c
    zero.iterations = 0
    let (problem, pair) = try TrainingBenchmark.gaussianProblem(dimension: 2)
    let initial = try NCFSolver(settings: zero).solve(problem).model
    #expect(p.parameterNames == initial.parameters.names)
    #expect(p.parameterValues == initial.parameters.tensors.map(\.scalars))
    #expect(p.shift == initial.normalization.shift && p.scale == initial.normalization.scale)
    #expect(p.gamma == pair.gamma.scalars && p.testSource.count == 200 && p.testPoints == 100)
    #expect(p.boxLower.count == 2 && zip(p.boxLower, p.boxUpper).allSatisfy { $0 < $1 })
  }
}
