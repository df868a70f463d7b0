import Foundation
import NCFTensor
import NCFTransport

/// The high-dimensional Gaussian benchmark of the NCF paper (its Table 2):
/// train on samples of the fixed pair for each dimension, then measure
/// forward/backward UVP and the displacement cosine against the closed-form
/// Brenier map on fresh test points.
public enum GaussianBenchmarkRunner {
  /// The paper's UVP (%) rows, by dimension 2, 4, 8, 16, 32, 64.
  public static let paperNCF: [Int: Double] = [2: 0.010, 4: 0.021, 8: 0.086, 16: 0.15, 32: 0.44, 64: 0.86]
  public static let paperNCFAdaptive: [Int: Double] = [2: 0.010, 4: 0.022, 8: 0.090, 16: 0.16, 32: 0.31, 64: 0.41]
  public static let paperMMv1: [Int: Double] = [2: 0.16, 4: 0.17, 8: 0.17, 16: 0.21, 32: 0.37, 64: 0.42]

  /// One dimension's result.
  public struct Row: Sendable, Codable {
    public var dimension: Int
    public var forwardUVP: Double
    public var backwardUVP: Double
    public var forwardCosine: Double
    public var backwardCosine: Double
    public var parameterCount: Int
    public var trainingSeconds: Double
    public var iterations: Int
    public var finalHJLoss: Double
    public var finalEnergyDistance: Double
    public var certificate: TrainingCertificate?
    public var width: Int
    public var depth: Int
    /// Points per side of the fixed training set; nil for fresh samples every step.
    public var trainPoints: Int?
    /// With a fixed training set: the closed-form map between its moments, on the same test points.
    public var momentsOnly: MapScores?
  }

  /// The network size used for dimension d: the base width, doubled for
  /// d ≥ 32 when `adaptive` (the paper's NCF-Adaptive enlarges the network for d = 32, 64).
  public static func width(for d: Int, base: Int, adaptive: Bool) -> Int {
    adaptive ? max(base, d >= 32 ? 2 * base : base) : base
  }

  /// The settings for dimension d from common ones: `iterations` steps, the
  /// width for d (``width(for:base:adaptive:)``), validation only at the
  /// end, and progress every twentieth of the run.
  public static func configuration(
    _ base: NCFTrainingConfiguration, dimension d: Int, iterations: Int, adaptive: Bool
  ) -> NCFTrainingConfiguration {
    var c = base
    c.iterations = iterations
    c.width = width(for: d, base: base.width, adaptive: adaptive)
    c.validationInterval = 0
    c.logInterval = max(1, iterations / 20)
    return c
  }

  /// Trains and evaluates one dimension (quadratic cost).
  /// - Parameters:
  ///   - data: fresh samples every step (the paper's setting) or a fixed set per side.
  ///   - testPoints: fresh source/target samples for the metrics (≥ 16384 recommended).
  public static func run(
    dimension d: Int, configuration: NCFTrainingConfiguration, data: BenchmarkTrainingData = .fresh, testPoints: Int = 16384,
    progress: ((TrainingProgress) -> Bool)? = nil
  ) throws -> Row {
    let pair = try GaussianBenchmark.pair(dimension: d)
    let (problem, fixed) = data.problem(
      dimension: d, seed: configuration.seed,
      source: { n, rng in pair.source.sample(n, using: &rng) }, target: { n, rng in pair.target.sample(n, using: &rng) })
    let result = try NCFSolver(settings: configuration).solve(problem, progress: progress)
    var rng = SeededRandom(seed: 0x7E57 &+ UInt64(d))
    let x: Tensor<Double> = pair.source.sample(testPoints, using: &rng)
    let y: Tensor<Double> = pair.target.sample(testPoints, using: &rng)
    let scores = try GaussianMapScores(model: result.model, pair: pair, source: x, target: y)
    let momentsOnly = try fixed.map {
      try MapScores(momentsOf: $0.source, $0.target, testSource: x, forwardTruth: pair.forward(x), testTarget: y,
                    backwardTruth: pair.backward(y), sourceVariance: pair.source.totalVariance,
                    targetVariance: pair.target.totalVariance)
    }
    let last = result.history.last
    return Row(
      dimension: d, forwardUVP: scores.forwardUVP, backwardUVP: scores.backwardUVP,
      forwardCosine: scores.forwardCosine, backwardCosine: scores.backwardCosine,
      parameterCount: result.model.network.parameterCount, trainingSeconds: result.seconds, iterations: result.steps,
      finalHJLoss: last?.hjLoss ?? .nan, finalEnergyDistance: last?.energyDistance ?? .nan,
      certificate: result.model.certificate, width: configuration.width, depth: configuration.depth,
      trainPoints: data.pointsPerSide, momentsOnly: momentsOnly)
  }
}
