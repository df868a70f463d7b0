import Foundation
import NCFTensor
import NCFNetworks
import NCFTransport

/// The training benchmarks behind `ncf bench step`, `ncf bench inference`,
/// `ncf bench time-to-uvp` and `ncf bench export` (bench/peers compares them
/// with a JAX reference): all on the Gaussian benchmark pair of dimension d
/// (``GaussianBenchmark/pair(dimension:seed:)``), trained from fresh samples.
public enum TrainingBenchmark {
  /// The Gaussian benchmark problem in dimension d, sampled afresh every step.
  public static func gaussianProblem(dimension d: Int) throws -> (problem: NCFProblem, pair: GaussianOT) {
    let pair = try GaussianBenchmark.pair(dimension: d)
    let problem = NCFProblem(
      source: .sampler(dimension: d) { n, rng in pair.source.sample(n, using: &rng) },
      target: .sampler(dimension: d) { n, rng in pair.target.sample(n, using: &rng) })
    return (problem, pair)
  }

  // MARK: - Time per step

  /// Time per training step.
  public struct StepResult: Sendable, Codable {
    public var dimension: Int
    public var energyBatch: Int
    public var collocationBatch: Int
    public var width: Int
    public var depth: Int
    public var activation: String
    public var head: Bool
    public var stepsPerRepeat: Int
    public var warmupSteps: Int
    /// Seconds per step of each repeat (wall clock / steps).
    public var secondsPerStep: [Double]
    public var medianSecondsPerStep: Double
    public var blasThreads: Int
  }

  /// Times whole training steps exactly as the solver takes them (minibatch
  /// draw, loss and gradients, Adam update; no logging step): `warmup`
  /// steps, then `repeats` runs of `steps` steps.
  /// - Precondition: steps ≥ 1, repeats ≥ 1, valid settings.
  public static func timeSteps(
    dimension d: Int, configuration s: NCFTrainingConfiguration, warmup: Int, steps: Int, repeats: Int
  ) throws -> StepResult {
    precondition(steps >= 1 && repeats >= 1, "steps and repeats must be ≥ 1")
    if let m = s.validationError() { throw NCFSolverError.invalidSettings(m) }
    let (problem, _) = try gaussianProblem(dimension: d)
    var setup = TrainingSetup(problem, settings: s)
    var stepIndex = 0
    func step() {
      let batch = TrainingBatch(source: &setup.sourceData, target: &setup.targetData, size: s.energyBatch,
                                normalization: setup.normalization, rng: &setup.dataRNG)
      let loss = setup.step(setup.parameters, batch, fullEnergy: false, rng: &setup.collocationRNG)
      let rate = s.learningRateSchedule.rate(at: stepIndex, base: s.learningRate)
      _ = setup.adam.update(&setup.parameters, gradients: loss.gradients, learningRate: rate)
      stepIndex += 1
    }
    for _ in 0..<warmup { step() }
    var perStep: [Double] = []
    for _ in 0..<repeats {
      let start = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<steps { step() }
      perStep.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(steps))
    }
    return StepResult(
      dimension: d, energyBatch: s.energyBatch, collocationBatch: s.collocationBatch, width: s.width, depth: s.depth,
      activation: s.activation.description, head: s.quadraticHead, stepsPerRepeat: steps, warmupSteps: warmup,
      secondsPerStep: perStep, medianSecondsPerStep: median(perStep), blasThreads: BLASThreads.current)
  }

  // MARK: - Inference

  /// Throughput of the forward and backward maps.
  public struct InferenceResult: Sendable, Codable {
    public var dimension: Int
    public var width: Int
    public var depth: Int
    public var head: Bool
    public var points: Int
    public var chunk: Int
    public var forwardSeconds: [Double]
    public var backwardSeconds: [Double]
    public var forwardPointsPerSecond: Double
    public var backwardPointsPerSecond: Double
  }

  /// Maps `points` points (Double, user units, through ``NCFModel/forward(_:)``
  /// and ``NCFModel/backward(_:)``) in chunks of `chunk` rows, `repeats` times
  /// after one warm-up chunk; the model is the solver's initial one (the
  /// weights' values do not change the cost).
  public static func inference(
    dimension d: Int, configuration s: NCFTrainingConfiguration, points: Int, chunk: Int, repeats: Int
  ) throws -> InferenceResult {
    precondition(points >= 1 && chunk >= 1 && repeats >= 1, "points, chunk and repeats must be ≥ 1")
    if let m = s.validationError() { throw NCFSolverError.invalidSettings(m) }
    let (problem, pair) = try gaussianProblem(dimension: d)
    let setup = TrainingSetup(problem, settings: s)
    let model = NCFModel(network: setup.network, parameters: setup.parameters, hamiltonian: setup.hamiltonian,
                         cost: problem.cost, terminalTime: s.terminalTime, normalization: setup.normalization,
                         configuration: s)
    var rng = SeededRandom(seed: 0x1F)
    let x: Tensor<Double> = pair.source.sample(min(chunk, points), using: &rng)
    func time(_ map: (Tensor<Double>) -> Tensor<Double>) -> [Double] {
      _ = map(x)
      return (0..<repeats).map { _ in
        let start = DispatchTime.now().uptimeNanoseconds
        var done = 0
        while done < points {
          let n = min(x.rows, points - done)
          _ = map(n == x.rows ? x : x.rows(0..<n))
          done += n
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
      }
    }
    let f = time(model.forward), b = time(model.backward)
    return InferenceResult(
      dimension: d, width: s.width, depth: s.depth, head: s.quadraticHead, points: points, chunk: x.rows,
      forwardSeconds: f, backwardSeconds: b,
      forwardPointsPerSecond: Double(points) / median(f), backwardPointsPerSecond: Double(points) / median(b))
  }

  // MARK: - Time to a UVP

  /// Training time until the forward UVP first falls below each threshold.
  public struct TimeToUVPResult: Sendable, Codable {
    public struct Point: Sendable, Codable {
      public var step: Int
      /// Training seconds (scoring time excluded).
      public var seconds: Double
      public var forwardUVP: Double
    }
    public var dimension: Int
    public var thresholds: [Double]
    /// Training seconds to reach each threshold; nil when not reached.
    public var secondsToThreshold: [Double?]
    public var stepsToThreshold: [Int?]
    public var trace: [Point]
    public var steps: Int
    public var trainingSeconds: Double
    public var testPoints: Int
  }

  /// Trains with the solver and scores the forward map every `scoreEvery`
  /// steps on `testPoints` fixed source points (``testSource(dimension:count:)``);
  /// stops once every threshold is reached or after `maxSeconds` of training.
  public static func timeToUVP(
    dimension d: Int, configuration s: NCFTrainingConfiguration, thresholds: [Double], scoreEvery: Int,
    maxSeconds: Double, testPoints: Int
  ) throws -> TimeToUVPResult {
    precondition(scoreEvery >= 1 && testPoints >= 1, "scoreEvery and testPoints must be ≥ 1")
    let (problem, pair) = try gaussianProblem(dimension: d)
    let x = testSource(dimension: d, count: testPoints, pair: pair)
    let truth = pair.forward(x)
    var trace: [TimeToUVPResult.Point] = []
    var scoring = 0.0
    var trainingSeconds = 0.0
    let start = DispatchTime.now().uptimeNanoseconds
    var secondsTo = [Double?](repeating: nil, count: thresholds.count)
    var stepsTo = [Int?](repeating: nil, count: thresholds.count)
    let output = try NCFSolver(settings: s).solve(problem, checkpoint: (scoreEvery, { step, model in
      let t0 = DispatchTime.now().uptimeNanoseconds
      trainingSeconds = Double(t0 - start) * 1e-9 - scoring
      let uvp = unexplainedVariancePercentage(estimate: model.forward(x), truth: truth,
                                              totalVariance: pair.target.totalVariance)
      trace.append(.init(step: step, seconds: trainingSeconds, forwardUVP: uvp))
      for (k, th) in thresholds.enumerated() where secondsTo[k] == nil && uvp <= th {
        secondsTo[k] = trainingSeconds
        stepsTo[k] = step
      }
      scoring += Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
      return secondsTo.contains { $0 == nil } && trainingSeconds < maxSeconds && uvp.isFinite
    }))
    return TimeToUVPResult(
      dimension: d, thresholds: thresholds, secondsToThreshold: secondsTo, stepsToThreshold: stepsTo, trace: trace,
      steps: output.steps, trainingSeconds: trainingSeconds, testPoints: testPoints)
  }

  /// The fixed test points of the time-to-UVP benchmark (source side, user units).
  public static func testSource(dimension d: Int, count: Int, pair: GaussianOT) -> Tensor<Double> {
    var rng = SeededRandom(seed: 0x7E57 &+ UInt64(d))
    return pair.source.sample(count, using: &rng)
  }

  static func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2]))
  }
}
