import NCFTensor
import NCFTransport

/// Where a benchmark trains from: fresh samples every step (the benchmark's
/// own samplers, as in the papers), or a fixed set drawn once, as a user's
/// files would hold. Shared by the Gaussian and W2 benchmarks.
public enum BenchmarkTrainingData: Sendable, Equatable {
  /// Fresh samples every step.
  case fresh
  /// `pointsPerSide` points per side drawn once (independently on each side).
  case fixed(pointsPerSide: Int)

  /// The points per side of a fixed set, nil for fresh samples.
  public var pointsPerSide: Int? {
    if case .fixed(let n) = self { return n }
    return nil
  }

  /// The training problem (quadratic cost) and, for a fixed set, its points.
  /// - Parameters:
  ///   - seed: fixes the fixed set (the solver's seed fixes everything else).
  ///   - source, target: seeded samplers of the two sides.
  public func problem(
    dimension d: Int, seed: UInt64,
    source: @escaping @Sendable (Int, inout SeededRandom) -> Tensor<Double>,
    target: @escaping @Sendable (Int, inout SeededRandom) -> Tensor<Double>
  ) -> (problem: NCFProblem, fixed: (source: Tensor<Double>, target: Tensor<Double>)?) {
    switch self {
    case .fresh:
      return (NCFProblem(source: .sampler(dimension: d, source), target: .sampler(dimension: d, target)), nil)
    case .fixed(let n):
      // Separate streams, so the two sides are independent draws (never the paired x, T(x)).
      var sourceRNG = SeededRandom(seed: seed ^ 0x5EED_F1_5E_0001), targetRNG = SeededRandom(seed: seed ^ 0x5EED_F1_5E_0002)
      let x = source(n, &sourceRNG), y = target(n, &targetRNG)
      return (NCFProblem(source: x, target: y), (x, y))
    }
  }
}

/// Scores of a map pair (T̂, Ŝ) against the true maps (T, S = T⁻¹) on test
/// points x of the source and y of the target: the unexplained variance
/// (UVP, % of the total variance of the side mapped to) and the cosine of
/// the displacements, in both directions (Korotin et al.'s metrics).
public struct MapScores: Sendable, Equatable, Codable {
  public var forwardUVP: Double
  public var backwardUVP: Double
  public var forwardCosine: Double
  public var backwardCosine: Double

  /// - Parameters:
  ///   - x, y: test points of the source and of the target.
  ///   - forwardTruth, forwardEstimate: T(x) and T̂(x).
  ///   - backwardTruth, backwardEstimate: S(y) and Ŝ(y).
  ///   - sourceVariance, targetVariance: tr Cov(μ), tr Cov(ν).
  /// - Precondition: matching shapes; positive variances.
  public init(
    source x: Tensor<Double>, forwardTruth: Tensor<Double>, forwardEstimate: Tensor<Double>,
    target y: Tensor<Double>, backwardTruth: Tensor<Double>, backwardEstimate: Tensor<Double>,
    sourceVariance: Double, targetVariance: Double
  ) {
    forwardUVP = unexplainedVariancePercentage(estimate: forwardEstimate, truth: forwardTruth, totalVariance: targetVariance)
    backwardUVP = unexplainedVariancePercentage(estimate: backwardEstimate, truth: backwardTruth, totalVariance: sourceVariance)
    forwardCosine = displacementCosine(source: x, estimate: forwardEstimate, truth: forwardTruth)
    backwardCosine = displacementCosine(source: y, estimate: backwardEstimate, truth: backwardTruth)
  }

  /// The closed-form Gaussian (Bures) map between the first two moments of
  /// `source` and `target`, scored like any other map: the "moments-only" or
  /// linear-map row of a benchmark.
  /// - Throws: when a sample covariance is not positive definite.
  public init(
    momentsOf source: Tensor<Double>, _ target: Tensor<Double>,
    testSource x: Tensor<Double>, forwardTruth: Tensor<Double>, testTarget y: Tensor<Double>, backwardTruth: Tensor<Double>,
    sourceVariance: Double, targetVariance: Double
  ) throws {
    let ot = try GaussianOT(source: Gaussian(fitting: source), target: Gaussian(fitting: target))
    self.init(source: x, forwardTruth: forwardTruth, forwardEstimate: ot.forward(x), target: y, backwardTruth: backwardTruth,
              backwardEstimate: ot.backward(y), sourceVariance: sourceVariance, targetVariance: targetVariance)
  }
}
