import NCFTensor

/// The affine change of coordinates a model is trained in:
/// x_model = (x − shift) / scale, with ONE isotropic scale.
///
/// Why only a shift and one scale: per-coordinate scaling changes the OT
/// problem (the optimal map for the rescaled data is not the rescaled optimal
/// map), while a translation and an isotropic scaling commute with the
/// optimal map for every translation-invariant cost that is homogeneous
/// (quadratic, p-norm). For a custom Hamiltonian that is not homogeneous,
/// use ``shiftOnly(_:_:)``.
public struct Normalization: Sendable, Equatable, Codable {
  /// The shift (length d): the mean of the pooled samples.
  public var shift: [Double]
  /// The isotropic scale: the pooled root-mean-square distance to the mean,
  /// divided by √d (so that model coordinates have unit average variance).
  public var scale: Double

  public init(shift: [Double], scale: Double) {
    precondition(scale > 0 && scale.isFinite, "normalisation scale must be positive and finite")
    self.shift = shift
    self.scale = scale
  }

  /// The identity change of coordinates in dimension d.
  public static func identity(dimension d: Int) -> Normalization {
    Normalization(shift: [Double](repeating: 0, count: d), scale: 1)
  }

  /// Fitted to the pooled source and target samples.
  public static func fitted(_ source: Tensor<Double>, _ target: Tensor<Double>) -> Normalization {
    precondition(source.columns == target.columns, "source and target dimensions differ")
    let d = source.columns, n = source.rows + target.rows
    var mean = [Double](repeating: 0, count: d)
    for t in [source, target] { for i in 0..<t.rows { for k in 0..<d { mean[k] += t[i, k] } } }
    mean = mean.map { $0 / Double(max(n, 1)) }
    var ss = 0.0
    for t in [source, target] { for i in 0..<t.rows { for k in 0..<d { ss += (t[i, k] - mean[k]) * (t[i, k] - mean[k]) } } }
    let scale = (ss / Double(max(n, 1)) / Double(d)).squareRoot()
    return Normalization(shift: mean, scale: scale > 0 && scale.isFinite ? scale : 1)
  }

  /// Shift only (scale 1), for costs that are not homogeneous.
  public static func shiftOnly(_ source: Tensor<Double>, _ target: Tensor<Double>) -> Normalization {
    var n = fitted(source, target)
    n.scale = 1
    return n
  }

  /// User → model coordinates.
  public func normalize<S: TensorScalar>(_ x: Tensor<S>) -> Tensor<S> {
    precondition(x.columns == shift.count, "points have \(x.columns) columns, the model expects \(shift.count)")
    let inv = 1 / scale
    return Tensor(rows: x.rows, columns: x.columns) { out in
      for i in 0..<x.rows { for k in 0..<x.columns { out[i * x.columns + k] = S((Double(x[i, k]) - shift[k]) * inv) } }
    }
  }

  /// Model → user coordinates.
  public func denormalize<S: TensorScalar>(_ x: Tensor<S>) -> Tensor<S> {
    Tensor(rows: x.rows, columns: x.columns) { out in
      for i in 0..<x.rows { for k in 0..<x.columns { out[i * x.columns + k] = S(Double(x[i, k]) * scale + shift[k]) } }
    }
  }
}
