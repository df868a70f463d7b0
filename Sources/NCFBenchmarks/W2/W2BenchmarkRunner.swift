import NCFTensor
import NCFTransport
import NCFFlows

/// The Wasserstein-2 benchmark (Mix3toMix10): train NCF on one pair per
/// dimension, then score the maps against the known map T on fresh test
/// points, beside the linear (moment) map and the published numbers.
public enum W2BenchmarkRunner {
  /// Published forward UVP (%), by dimension (README of the benchmark data).
  /// The best of the 2021 paper's solvers for each d.
  public static let published2021: [Int: Double] = [2: 0.1, 4: 0.3, 8: 0.7, 16: 1.4, 32: 2.8, 64: 3.2, 128: 2.0]
  /// Amos (2023), amortised conjugates, best variant (as reported by ENOT).
  public static let publishedAmos2023: [Int: Double] = [2: 0.03, 4: 0.22, 8: 0.6, 16: 0.8, 32: 2.09, 64: 2.08, 128: 0.67]
  /// ENOT, expectile-regularised neural OT (NeurIPS 2024).
  public static let publishedENOT2024: [Int: Double] = [2: 0.02, 4: 0.03, 8: 0.14, 16: 0.24, 32: 0.67, 64: 0.56, 128: 0.30]

  /// What one dimension measured.
  public struct Row: Sendable, Codable {
    public var dimension: Int
    /// The trained model's scores; nil when training was skipped (linear rows only).
    public var model: MapScores?
    /// The closed-form map between the moments of μ and ν (the paper's "L" row),
    /// from 2¹⁶ samples per side.
    public var linear: MapScores
    /// With a fixed training set: the closed-form map between its moments.
    public var momentsOnly: MapScores?
    /// Points per side of the fixed training set; nil for fresh samples.
    public var trainPoints: Int?
    public var testPoints: Int
    public var iterations: Int
    public var trainingSeconds: Double?
    public var parameterCount: Int?
    public var width: Int
    public var depth: Int
    public var finalHJLoss: Double?
    public var finalEnergyDistance: Double?
    public var certificate: TrainingCertificate?
  }

  /// Benchmark settings from common ones: validation only at the end unless
  /// asked for, progress every twentieth of the run.
  public static func configuration(_ base: NCFTrainingConfiguration, keepValidation: Bool) -> NCFTrainingConfiguration {
    var c = base
    if !keepValidation { c.validationInterval = 0 }
    c.logInterval = max(1, c.iterations / 20)
    return c
  }

  /// Test points and the scores' normalisers for one pair, fixed by the dimension.
  public struct TestSet: Sendable {
    public var source: Tensor<Double>
    /// T(source), in Double.
    public var target: Tensor<Double>
    public var sourceVariance: Double
    public var targetVariance: Double
    public var linear: MapScores

    /// - Parameter points: test points per side.
    /// - Throws: when a moment covariance is singular (not for the benchmark's pairs).
    public init(pair: W2BenchmarkPair, points: Int) throws {
      let d = pair.dimension
      var rng = SeededRandom(seed: 0x7E57_0000_0000 &+ UInt64(d))
      source = pair.sampleSource(points, using: &rng)
      target = pair.map(source)
      sourceVariance = pair.source.totalVariance
      // Var(ν) and the linear map's moments from 2¹⁶ points per side (independent of the test set).
      var momentRNG = SeededRandom(seed: 0x4D4F_4D00_0000 &+ UInt64(d))
      let xs = pair.sampleSource(1 << 16, using: &momentRNG), ys = pair.sampleTarget(1 << 16, using: &momentRNG)
      targetVariance = W2BenchmarkPair.totalVariance(ys)
      linear = try MapScores(momentsOf: xs, ys, testSource: source, forwardTruth: target, testTarget: target,
                             backwardTruth: source, sourceVariance: sourceVariance, targetVariance: targetVariance)
    }
  }

  /// Runs one dimension.
  /// - Parameters:
  ///   - configuration: the solver's settings (see ``configuration(_:keepValidation:)``).
  ///   - data: fresh samples every step, or a fixed set per side.
  ///   - train: false for the linear (and moments-only) rows without training.
  ///   - testPoints: fresh test points per side (≥ 16 384 recommended).
  ///   - progress: as for ``NCFSolver/solve(_:progress:shouldStop:)``.
  /// - Throws: ``W2BenchmarkError`` (files), ``NCFSolverError``, ``NonFiniteResultError``
  ///   when the trained maps give NaN or ±∞ on a test point.
  public static func run(
    dimension d: Int, configuration: NCFTrainingConfiguration, data: BenchmarkTrainingData = .fresh, train: Bool = true,
    testPoints: Int = 16384, progress: ((TrainingProgress) -> Bool)? = nil
  ) throws -> Row {
    let pair = try W2BenchmarkPair.load(dimension: d)
    let test = try TestSet(pair: pair, points: testPoints)
    let (problem, fixed) = data.problem(
      dimension: d, seed: configuration.seed,
      source: { n, rng in pair.sampleSource(n, using: &rng) }, target: { n, rng in pair.sampleTarget(n, using: &rng) })
    let momentsOnly = try fixed.map {
      try MapScores(momentsOf: $0.source, $0.target, testSource: test.source, forwardTruth: test.target, testTarget: test.target,
                    backwardTruth: test.source, sourceVariance: test.sourceVariance, targetVariance: test.targetVariance)
    }
    var row = Row(dimension: d, model: nil, linear: test.linear, momentsOnly: momentsOnly, trainPoints: data.pointsPerSide,
                  testPoints: testPoints, iterations: 0, trainingSeconds: nil, parameterCount: nil,
                  width: configuration.width, depth: configuration.depth, finalHJLoss: nil, finalEnergyDistance: nil,
                  certificate: nil)
    guard train else { return row }
    let result = try NCFSolver(settings: configuration).solve(problem, progress: progress)
    let forward = try result.model.checkedForward(test.source), backward = try result.model.checkedBackward(test.target)
    let scores = MapScores(source: test.source, forwardTruth: test.target, forwardEstimate: forward,
                           target: test.target, backwardTruth: test.source, backwardEstimate: backward,
                           sourceVariance: test.sourceVariance, targetVariance: test.targetVariance)
    try NonFiniteResultError.requireFinite(scores)
    row.model = scores
    row.iterations = result.steps
    row.trainingSeconds = result.seconds
    row.parameterCount = result.model.network.parameterCount
    row.finalHJLoss = result.history.last?.hjLoss
    row.finalEnergyDistance = result.history.last?.energyDistance
    row.certificate = result.model.certificate
    return row
  }
}

extension NonFiniteResultError {
  /// Throws for the first score of `scores` that is NaN or ±∞.
  static func requireFinite(_ scores: MapScores) throws(NonFiniteResultError) {
    for (name, value) in [("forward UVP", scores.forwardUVP), ("backward UVP", scores.backwardUVP),
                          ("forward displacement cosine", scores.forwardCosine),
                          ("backward displacement cosine", scores.backwardCosine)] where !value.isFinite {
      throw NonFiniteResultError(quantity: name, row: nil)
    }
  }
}
