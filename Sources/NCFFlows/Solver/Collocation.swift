import NCFTensor

/// The collocation measure ϱ on which the HJ loss is averaged: a mixture of
///
/// - **box**: uniform in the bounding box of both samples, enlarged by
///   `boxMargin` of its size on every side — gives ϱ full support, which the
///   consistency theory needs (the loss must vanish everywhere, not only
///   where the data are);
/// - **pushed**: source points moved along the current characteristics,
///   x₀ + t∇h(∇u(x₀, 0)) — where the forward map actually travels;
/// - **pulled**: target points pulled back, y − (t_f − t)∇h(∇u(y, t_f)) —
///   where the backward map is evaluated (at t = t_f these are the targets);
///
/// each plus optional Gaussian `jitter`, with t ~ U[0, t_f]. No gradient
/// flows through the pushing/pulling (the points are data, not parameters).
///
/// Default weights 0.2 / 0.4 / 0.4: most points where the maps are used;
/// enough box points that the potential is also correct between them. In high
/// dimension the box is nearly empty of data and matters less; the weights
/// are configurable.
public struct CollocationMeasure: Sendable, Equatable, Codable {
  public var boxWeight: Double = 0.2
  public var pushedWeight: Double = 0.4
  public var pulledWeight: Double = 0.4
  /// Enlargement of the bounding box, as a fraction of its size per side.
  public var boxMargin: Double = 0.1
  /// Standard deviation of Gaussian jitter added to pushed/pulled points (model units).
  public var jitter: Double = 0.0

  public init(boxWeight: Double = 0.2, pushedWeight: Double = 0.4, pulledWeight: Double = 0.4,
              boxMargin: Double = 0.1, jitter: Double = 0) {
    self.boxWeight = boxWeight; self.pushedWeight = pushedWeight; self.pulledWeight = pulledWeight
    self.boxMargin = boxMargin; self.jitter = jitter
  }

  /// Checks the weights; returns a message when invalid.
  public func validationError() -> String? {
    let w = [boxWeight, pushedWeight, pulledWeight]
    if w.contains(where: { $0 < 0 || !$0.isFinite }) { return "collocation weights must be finite and ≥ 0" }
    if w.reduce(0, +) <= 0 { return "at least one collocation weight must be positive" }
    if boxMargin < 0 || jitter < 0 { return "box margin and jitter must be ≥ 0" }
    return nil
  }

  /// How many of `n` points each component gets (deterministic rounding).
  public func counts(_ n: Int) -> (box: Int, pushed: Int, pulled: Int) {
    let total = boxWeight + pushedWeight + pulledWeight
    let box = Int((Double(n) * boxWeight / total).rounded())
    let pushed = min(n - box, Int((Double(n) * pushedWeight / total).rounded()))
    return (box, pushed, n - box - pushed)
  }
}

extension CollocationMeasure {
  /// Draws `n` collocation points and their times (model units): box points,
  /// source points pushed along the current characteristics
  /// x₀ + t∇h(p₀), target points pulled back y − (t_f − t)∇h(∇u(y, t_f)),
  /// then the jitter; t ~ U[0, t_f].
  ///
  /// - Parameters:
  ///   - source: the step's source batch, and `sourceVelocity` its ∇h(p₀)
  ///     (reused from the energy term; the points carry no gradient).
  ///   - targetVelocity: ∇h(∇u(y, t_f)) for rows of `target`.
  /// - Complexity: O(n·d) plus one network evaluation on the pulled rows.
  func sample(
    _ n: Int, in box: BoundingBox, source x: Tensor<Float>, sourceVelocity v0: Tensor<Float>, target y: Tensor<Float>,
    targetVelocity: (Tensor<Float>) -> Tensor<Float>, terminalTime tf: Double, rng: inout SeededRandom
  ) -> (x: Tensor<Float>, t: Tensor<Float>) {
    let (nBox, nPush, nPull) = counts(n)
    let d = x.columns
    var points = Tensor<Float>.zeros(rows: n, columns: d)
    var times = Tensor<Float>.zeros(rows: n, columns: 1)
    for i in 0..<n { times[i, 0] = Float(rng.uniform(0, tf)) }
    let boxPoints: Tensor<Float> = box.sample(nBox, using: &rng)
    for i in 0..<nBox { for k in 0..<d { points[i, k] = boxPoints[i, k] } }
    for r in 0..<nPush {
      let i = nBox + r, j = r % x.rows
      for k in 0..<d { points[i, k] = x[j, k] + times[i, 0] * v0[j, k] }
    }
    if nPull > 0 {
      let rowsNeeded = min(nPull, y.rows)
      let ySub = y.rows(0..<rowsNeeded)
      let v1 = targetVelocity(ySub)
      for r in 0..<nPull {
        let i = nBox + nPush + r, j = r % rowsNeeded
        let back = Float(tf) - times[i, 0]
        for k in 0..<d { points[i, k] = ySub[j, k] - back * v1[j, k] }
      }
    }
    if jitter > 0 {
      for i in nBox..<n { for k in 0..<d { points[i, k] += Float(jitter * rng.normal()) } }
    }
    return (points, times)
  }
}

/// An axis-aligned box.
public struct BoundingBox: Sendable, Equatable, Codable {
  public var lower: [Double]
  public var upper: [Double]

  /// The bounding box of the rows of the given tensors, enlarged by `margin`
  /// times its size on every side.
  public init<S: TensorScalar>(_ parts: [Tensor<S>], margin: Double) {
    let d = parts[0].columns
    var lo = [Double](repeating: .infinity, count: d), hi = [Double](repeating: -.infinity, count: d)
    for t in parts {
      for i in 0..<t.rows { for k in 0..<d { lo[k] = min(lo[k], Double(t[i, k])); hi[k] = max(hi[k], Double(t[i, k])) } }
    }
    for k in 0..<d {
      let size = max(hi[k] - lo[k], 1e-6)
      lo[k] -= margin * size
      hi[k] += margin * size
    }
    lower = lo
    upper = hi
  }

  /// n uniform points in the box.
  public func sample<S: TensorScalar>(_ n: Int, using rng: inout SeededRandom) -> Tensor<S> {
    let d = lower.count
    return Tensor(rows: n, columns: d) { out in
      for i in 0..<n { for k in 0..<d { out[i * d + k] = S(rng.uniform(lower[k], upper[k])) } }
    }
  }
}
