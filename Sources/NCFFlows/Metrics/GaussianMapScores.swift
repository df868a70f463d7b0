import NCFTensor
import NCFTransport

/// How close a model's maps are to the closed-form maps of a Gaussian pair
/// (the paper's Gaussian benchmark): the unexplained variance (UVP, % of
/// the total variance of the side mapped to) and the cosine between
/// estimated and true displacements, in both directions.
public struct GaussianMapScores: Sendable, Equatable, Codable {
  /// The dimension of the pair.
  public var dimension: Int
  /// UVP of T against the true map, % of tr Σ_target.
  public var forwardUVP: Double
  /// UVP of S against the true inverse map, % of tr Σ_source.
  public var backwardUVP: Double
  /// Cosine between estimated and true displacements T(x) − x.
  public var forwardCosine: Double
  /// Cosine between estimated and true displacements S(y) − y.
  public var backwardCosine: Double

  /// Scores `model` on source points `x` and target points `y` of `pair`.
  /// - Parameter tx: T(x) when already computed (it is the costly part).
  /// - Throws: ``NonFiniteResultError`` naming the first row of `x` or `y`
  ///   whose image is NaN or ±∞, or the first score that is.
  /// - Complexity: two network passes over n + m points, O((n + m)·d²) for the true maps.
  public init(model: NCFModel, pair: GaussianOT, source x: Tensor<Double>, target y: Tensor<Double>,
              forward tx: Tensor<Double>? = nil) throws(NonFiniteResultError) {
    let forward: Tensor<Double>
    if let tx { forward = tx } else { forward = try model.checkedForward(x) }
    let tx = forward, sy = try model.checkedBackward(y)
    let txTrue = pair.forward(x), syTrue = pair.backward(y)
    dimension = pair.source.dimension
    forwardUVP = unexplainedVariancePercentage(estimate: tx, truth: txTrue, totalVariance: pair.target.totalVariance)
    backwardUVP = unexplainedVariancePercentage(estimate: sy, truth: syTrue, totalVariance: pair.source.totalVariance)
    forwardCosine = displacementCosine(source: x, estimate: tx, truth: txTrue)
    backwardCosine = displacementCosine(source: y, estimate: sy, truth: syTrue)
    try requireFinite()
  }
}
