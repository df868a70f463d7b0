import Foundation
import NCFTensor

/// Detects a sample cloud that is (nearly) one point, before training on it.
///
/// Neither case has an NCF solution:
/// - a point-mass **source** cannot be mapped onto a spread-out target at all
///   (its mass would have to split, which no map does);
/// - for a point-mass **target** the optimal map is the constant map, which
///   needs no training, and its potential is singular: for the quadratic
///   cost, ∇ₓu(x, t) = −(x − y₀)/(t_f − t), which blows up at t_f, so no
///   network represents it and the backward map does not exist (trained
///   anyway from the Gaussian moment start, such a model reported an HJ
///   residual of 10²⁶).
///
/// So both are refused, with a message about the data. Spread is the
/// root-mean-square distance of a side's points to their mean, per
/// coordinate; it counts as none when it is at most
/// ``minimumRelativeSpread`` times the spread of both sides together (the
/// scale the model normalises by), or at the rounding level of the values'
/// own magnitude (10⁻¹² of the largest |coordinate|, a few thousand Double
/// ulps).
public enum SampleSpread {
  /// A side whose spread is at most this fraction of the pooled spread counts
  /// as a single point. Measured (2-D, N(0, I) against N((3, 3), r²I), 500
  /// steps; `NCF_SPREAD_MEASUREMENT=1 ./scripts/test.sh --filter
  /// SpreadMeasurement`): up to a relative spread of about 2·10⁻³ the trained
  /// model is the one trained on an exactly constant side (a narrow source
  /// stays at the translation start, leaving 10.6–10.7 % of the unmapped
  /// energy distance, as for a point; a narrow target's backward map leaves
  /// 21.4–21.6 %, as for a point); from 3·10⁻³ on, training starts to resolve
  /// a narrow source (9.0 %, then 3.3 % at 6·10⁻³). 10⁻³ refuses only what is
  /// indistinguishable from a point.
  public static let minimumRelativeSpread = 1e-3

  /// Spread at or below this fraction of the largest |coordinate| is rounding noise.
  static let roundingLevel = 1e-12

  /// What the spread check needs of one side: its count, mean, the sum of
  /// squared distances to the mean, and its largest |coordinate|. Computed
  /// from a tensor, or accumulated by a caller whose points are not in one
  /// (the pixels of an image).
  public struct Moments: Sendable, Equatable {
    public var count: Int
    public var mean: [Double]
    /// Σᵢ‖xᵢ − mean‖².
    public var squaredDeviations: Double
    /// The largest |coordinate| of any point.
    public var largestMagnitude: Double

    public init(count: Int, mean: [Double], squaredDeviations: Double, largestMagnitude: Double) {
      (self.count, self.mean, self.squaredDeviations, self.largestMagnitude) = (count, mean, squaredDeviations, largestMagnitude)
    }

    /// The moments of the rows of `x`.
    /// - Complexity: O(n·d), two passes.
    public init(_ x: Tensor<Double>) {
      let mean = x.rows > 0 ? x.mean(alongAxis: 0).scalars : [Double](repeating: 0, count: x.columns)
      var ss = 0.0
      for i in 0..<x.rows { for k in 0..<x.columns { let e = x[i, k] - mean[k]; ss += e * e } }
      self.init(count: x.rows, mean: mean, squaredDeviations: ss,
                largestMagnitude: x.scalars.reduce(0.0) { max($0, Swift.abs($1)) })
    }

    /// The root-mean-square distance of the points to their mean, per
    /// coordinate: √(Σᵢ‖xᵢ − x̄‖² / (n·d)); 0 for fewer than 2 points.
    public var rms: Double {
      guard count >= 2, !mean.isEmpty else { return 0 }
      return (squaredDeviations / Double(count * mean.count)).squareRoot()
    }
  }

  /// The RMS spread of the rows of `x` (``Moments/rms``).
  /// - Complexity: O(n·d).
  public static func rms(_ x: Tensor<Double>) -> Double { Moments(x).rms }

  /// A side whose points are (nearly) all one point: what
  /// ``NCFProblemIssue/singlePoint(_:_:)`` reports.
  public struct Collapse: Sendable, Equatable {
    /// The number of points on that side.
    public var count: Int
    /// Their mean: the point they (nearly) all are.
    public var point: [Double]
    /// Their RMS spread (``Moments/rms``).
    public var spread: Double
    /// The RMS spread of both sides together, about their common mean.
    public var pooledSpread: Double
  }

  /// The first side (source, then target) whose spread counts as none, or
  /// nil when both have spread (see the type's description).
  /// - Precondition: both have the same number of columns, ≥ 1.
  /// - Complexity: O((n + m)·d).
  public static func collapse(source: Tensor<Double>, target: Tensor<Double>) -> (side: NCFProblemIssue.Side, Collapse)? {
    precondition(source.columns == target.columns && source.columns >= 1, "source and target dimensions differ")
    return collapse(source: Moments(source), target: Moments(target))
  }

  /// ``collapse(source:target:)`` from the two sides' moments.
  /// - Precondition: both means have the same length, ≥ 1.
  /// - Complexity: O(d).
  public static func collapse(source: Moments, target: Moments) -> (side: NCFProblemIssue.Side, Collapse)? {
    precondition(source.mean.count == target.mean.count && !source.mean.isEmpty, "source and target dimensions differ")
    let (n, m) = (Double(source.count), Double(target.count))
    let center = zip(source.mean, target.mean).map { (n * $0 + m * $1) / (n + m) }
    // Σ‖x − c‖² over a side = its squared deviations + count·‖mean − c‖².
    func about(_ side: Moments) -> Double {
      side.squaredDeviations + Double(side.count) * zip(side.mean, center).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }
    let pooled = ((about(source) + about(target)) / ((n + m) * Double(center.count))).squareRoot()
    let floor = max(minimumRelativeSpread * pooled, roundingLevel * max(source.largestMagnitude, target.largestMagnitude))
    for (side, moments) in [(NCFProblemIssue.Side.source, source), (.target, target)] where moments.rms <= floor {
      return (side, Collapse(count: moments.count, point: moments.mean, spread: moments.rms, pooledSpread: pooled))
    }
    return nil
  }

  /// One line about the data of `side`: which point, how small its spread,
  /// and why NCF cannot train with it.
  static func describe(_ c: Collapse, side: NCFProblemIssue.Side) -> String {
    let what = "\(side): all \(c.count) points are (nearly) the same point \(point(c.point)) "
      + "(RMS spread \(NumberFormat.sci(c.spread)) against \(NumberFormat.sci(c.pooledSpread)) for source and target together)"
    switch side {
    case .source:
      return what + "; a single point cannot be transported onto the target by a map (its mass would have to split)"
    case .target:
      return what + "; the optimal map sends every source point there and needs no training, "
        + "and its potential is singular at t_f, so NCF cannot learn it"
    }
  }

  /// `(1.5, -2)`; the first 8 coordinates and `…` in higher dimensions.
  static func point(_ p: [Double]) -> String {
    let shown = p.prefix(8).map { String(format: "%.6g", $0) }.joined(separator: ", ")
    return "(" + shown + (p.count > 8 ? ", …" : "") + ")"
  }
}
