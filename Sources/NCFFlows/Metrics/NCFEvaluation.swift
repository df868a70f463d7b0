import NCFTensor
import NCFTransport

/// What `ncf eval` and the demo's report measure about a model on given
/// source and target samples: the one place these metrics are computed.
///
/// Energy distances are the squared energy distance U-statistic
/// 2E|X − Y| − E|X − X′| − E|Y − Y′|: it has the units of the data (a
/// length), is 0 exactly when the two distributions agree, and is computed
/// on at most `maxPoints` points per side (its cost grows like n²).
public struct NCFEvaluation: Sendable, Codable {
  public var dimension: Int
  public var sourcePoints: Int
  public var targetPoints: Int
  /// Points per side used for the energy distances and the HJ residual.
  public var evaluatedPoints: Int
  /// Source vs target with no map: the distance the map has to close.
  public var referenceEnergyDistance: Double
  /// T♯source vs target.
  public var forwardEnergyDistance: Double
  /// S♯target vs source.
  public var backwardEnergyDistance: Double
  /// Mean squared implicit-HJ residual at points along the forward
  /// characteristics of the source points (model units).
  public var hjResidual: Double
  /// Mean transport cost E c(x, T(x)) over all source points (data units).
  public var transportCost: Double?
  /// Scores against the closed-form map, when the data are a Gaussian benchmark pair.
  public var gaussianBenchmark: GaussianMapScores?

  /// Measures `model` on `source` and `target` (user units).
  /// - Parameters:
  ///   - maxPoints: points per side for the energy distances and the HJ
  ///     residual: a random subset (seeded by `seed`) when there are more.
  ///   - gaussianPair: the pair the samples come from, to score against its closed-form maps.
  /// - Throws: ``NonFiniteResultError`` when a map gives NaN or ±∞ (naming
  ///   the row of `source` or `target`) or a measured quantity is not finite:
  ///   nothing is reported for such a model.
  /// - Complexity: O(maxPoints²·d), plus network passes over all points.
  public init(
    model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, maxPoints: Int, seed: UInt64,
    gaussianPair: GaussianOT? = nil
  ) throws(NonFiniteResultError) {
    let (sourceRows, targetRows) = (source.subsampleRows(maxPoints, seed: seed), target.subsampleRows(maxPoints, seed: seed &+ 1))
    let xs = source.subsample(maxPoints, seed: seed)
    let ys = target.subsample(maxPoints, seed: seed &+ 1)
    dimension = model.dimension
    sourcePoints = source.rows
    targetPoints = target.rows
    evaluatedPoints = min(xs.rows, ys.rows)
    if model.cost != nil || gaussianPair != nil {
      let tx = try model.checkedForward(source)
      transportCost = model.meanTransportCost(from: source, to: tx)
      if let pair = gaussianPair {
        gaussianBenchmark = try GaussianMapScores(model: model, pair: pair, source: source, target: target, forward: tx)
      }
      try NonFiniteResultError.requireFinite([("mean transport cost", transportCost)])
    }
    let certificate: TrainingCertificate
    do throws(NonFiniteResultError) {
      certificate = try TrainingCertificate(checking: model, source: xs, target: ys, step: model.certificate?.step ?? 0)
    } catch {
      throw error.inWhole(source: sourceRows, target: targetRows)
    }
    referenceEnergyDistance = EnergyDistance(estimator: .uStatistic)(xs, ys).value
    forwardEnergyDistance = certificate.forwardEnergyDistance
    backwardEnergyDistance = certificate.backwardEnergyDistance
    hjResidual = certificate.hjResidual
  }
}
