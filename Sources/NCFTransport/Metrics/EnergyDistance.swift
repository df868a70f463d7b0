import NCFTensor

/// The (squared) energy distance between two samples,
///
///     E(X, Y) = 2 E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖  ≥ 0,
///
/// computed exactly over all pairs with O(n + m) memory (never an n×m
/// matrix), through ``PairwiseDistance/sum(_:_:excludingDiagonal:gradients:)``
/// on both cores.
///
/// Two estimators of the population value:
/// - ``Estimator/vStatistic``: every mean over all pairs, diagonal included
///   (E‖X − X′‖ ≈ Σᵢⱼ‖xᵢ − xⱼ‖ / n²); always ≥ 0, biased upwards by O(1/n).
/// - ``Estimator/uStatistic``: within-sample means exclude i = j
///   (Σ_{i≠j}‖xᵢ − xⱼ‖ / (n(n − 1))); unbiased, can be slightly negative.
///
/// Precision: for d ≤ 8 the distances come from coordinate differences
/// (exact for coincident points); above, from a blocked GEMM with error about
/// ε·(‖x‖² + ‖y‖²) per pair, so centre the data when it is far from the origin.
/// Sums are accumulated in Double whatever the scalar type.
///
/// - Complexity: O((n² + n·m + m²)·d) time, O(block·m + (n + m)·d) memory.
public struct EnergyDistance: Sendable {
  /// Which finite-sample estimator to use, here and in the NCF energy
  /// term (training settings store the raw values `unbiased` and `biased`).
  public enum Estimator: String, Sendable, Codable, CaseIterable {
    /// Within-sample means exclude i = j: unbiased, can be slightly negative
    /// for nearly equal distributions.
    case uStatistic = "unbiased"
    /// Means over all pairs including i = j: always ≥ 0, biased upward by
    /// about E‖X − X′‖/n.
    case vStatistic = "biased"
  }

  public var estimator: Estimator

  public init(estimator: Estimator = .vStatistic) {
    self.estimator = estimator
  }

  /// E(X, Y) for the rows of `x` (n×d) and `y` (m×d).
  /// - Precondition: same number of columns; n, m ≥ 2 for the U-statistic, ≥ 1 otherwise.
  public func callAsFunction<S: TensorScalar>(_ x: Tensor<S>, _ y: Tensor<S>) -> EnergyDistanceOutput {
    precondition(x.columns == y.columns, "energy distance: dimensions differ (\(x.columns) vs \(y.columns))")
    let minimum = estimator == .uStatistic ? 2 : 1
    precondition(x.rows >= minimum && y.rows >= minimum, "energy distance: need at least \(minimum) points per sample")
    let u = estimator == .uStatistic
    let cross = PairwiseDistance.sum(x, y, gradients: false).mean
    let within = { (z: Tensor<S>) -> Double in
      let s = PairwiseDistance.sum(z, z, excludingDiagonal: u, gradients: false)
      return s.sum / Double(u ? z.rows * (z.rows - 1) : z.rows * z.rows)
    }
    return EnergyDistanceOutput(crossMean: cross, sourceMean: within(x), targetMean: within(y))
  }
}

/// The three mean distances of an energy distance and its value.
public struct EnergyDistanceOutput: Sendable, Equatable {
  /// E‖X − Y‖.
  public let crossMean: Double
  /// E‖X − X′‖ (as the estimator defines it).
  public let sourceMean: Double
  /// E‖Y − Y′‖.
  public let targetMean: Double
  /// 2 E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖.
  public var value: Double { 2 * crossMean - sourceMean - targetMean }
}

/// A Monte-Carlo estimate of the energy distance from one-dimensional
/// projections ("sliced" energy distance).
///
/// For a uniform direction θ on the sphere S^{d−1}, E_θ|⟨θ, v⟩| = c_d ‖v‖
/// with c_d = Γ(d/2) / (√π Γ((d + 1)/2)) (c₁ = 1, c₂ = 2/π, c_{d+2} =
/// c_d·d/(d + 1)). Every pairwise distance in the energy distance is linear in
/// ‖xᵢ − yⱼ‖, so E_θ[E(⟨θ, X⟩, ⟨θ, Y⟩)] / c_d equals the exact energy distance
/// of the same samples (same estimator): averaging the 1-D energy distances
/// of K independent uniform directions and dividing by c_d gives an
/// **unbiased** estimate of ``EnergyDistance``'s value, whose Monte-Carlo
/// standard error is reported. Each 1-D energy distance is exact, by sorting
/// and prefix sums.
///
/// - Complexity: O(K·(n + m)·(d + log(n + m))) time, O(K·(n + m)) memory.
public struct SlicedEnergyDistance: Sendable {
  /// Number of random directions K ≥ 2.
  public var directions: Int
  /// Seed of the directions (same seed, same estimate).
  public var seed: UInt64
  /// The estimator whose exact value is being estimated.
  public var estimator: EnergyDistance.Estimator

  public init(directions: Int = 256, seed: UInt64 = 0, estimator: EnergyDistance.Estimator = .vStatistic) {
    precondition(directions >= 2, "sliced energy distance needs at least 2 directions")
    self.directions = directions
    self.seed = seed
    self.estimator = estimator
  }

  /// c_d = E_θ|θ₁| for θ uniform on S^{d−1}.
  public static func projectionConstant(dimension d: Int) -> Double {
    precondition(d >= 1, "dimension must be ≥ 1")
    var c = d % 2 == 1 ? 1.0 : 2 / Double.pi
    var k = d % 2 == 1 ? 1 : 2
    while k < d {
      c *= Double(k) / Double(k + 1)
      k += 2
    }
    return c
  }

  /// The estimate for the rows of `x` (n×d) and `y` (m×d).
  /// - Precondition: same number of columns; n, m ≥ 2 for the U-statistic.
  public func callAsFunction<S: TensorScalar>(_ x: Tensor<S>, _ y: Tensor<S>) -> SlicedEnergyDistanceOutput {
    precondition(x.columns == y.columns, "sliced energy distance: dimensions differ")
    let minimum = estimator == .uStatistic ? 2 : 1
    precondition(x.rows >= minimum && y.rows >= minimum, "sliced energy distance: need at least \(minimum) points per sample")
    let d = x.columns, k = directions
    var rng = SeededRandom(seed: seed)
    var theta = Tensor<Double>.normal(rows: k, columns: d, using: &rng)
    for r in 0..<k {
      var norm = 0.0
      for q in 0..<d { norm += theta[r, q] * theta[r, q] }
      norm = norm.squareRoot()
      for q in 0..<d { theta[r, q] /= norm }
    }
    // Projections, direction-major (K×n and K×m) so each direction is contiguous.
    let px = Tensor.matmul(theta, x.converted(to: Double.self), transposeB: true)
    let py = Tensor.matmul(theta, y.converted(to: Double.self), transposeB: true)
    let n = x.rows, m = y.rows
    let u = estimator == .uStatistic
    var values = [Double](repeating: 0, count: k)
    values.withUnsafeMutableBufferPointer { vp in
      px.scalars.withUnsafeBufferPointer { xp in
        py.scalars.withUnsafeBufferPointer { yp in
          nonisolated(unsafe) let vp = vp, xp = xp, yp = yp
          Parallel.ranges(k, minimumWork: k * (n + m) * 16, grain: 1 << 16) { lo, hi in
            for r in lo..<hi {
              let xs = Array(xp[(r * n)..<((r + 1) * n)]).sorted()
              let ys = Array(yp[(r * m)..<((r + 1) * m)]).sorted()
              vp[r] = Self.energy1D(sortedX: xs, sortedY: ys, unbiased: u)
            }
          }
        }
      }
    }
    let c = Self.projectionConstant(dimension: d)
    let scaled = values.map { $0 / c }
    let mean = scaled.reduce(0, +) / Double(k)
    let variance = scaled.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(k - 1)
    return SlicedEnergyDistanceOutput(
      value: mean, standardError: (variance / Double(k)).squareRoot(), perDirection: scaled, projectionConstant: c)
  }

  /// The exact 1-D energy distance of two sorted samples in O(n + m).
  static func energy1D(sortedX x: [Double], sortedY y: [Double], unbiased: Bool) -> Double {
    let n = x.count, m = y.count
    // Σ_{i≠j} |zᵢ − zⱼ| over ordered pairs = 2 Σ_k (2k − n − 1) z₍ₖ₎ (k from 1).
    func within(_ z: [Double]) -> Double {
      var s = 0.0
      let count = Double(z.count)
      for (k, v) in z.enumerated() { s += (2 * Double(k + 1) - count - 1) * v }
      return 2 * s
    }
    // Σᵢ Σⱼ |xᵢ − yⱼ| by merging: for each xᵢ, the y below and above it.
    var cross = 0.0
    let totalY = y.reduce(0, +)
    var below = 0, belowSum = 0.0
    for v in x {
      while below < m && y[below] < v {
        belowSum += y[below]
        below += 1
      }
      cross += (Double(below) * v - belowSum) + ((totalY - belowSum) - Double(m - below) * v)
    }
    let pairsX = unbiased ? Double(n * (n - 1)) : Double(n * n)
    let pairsY = unbiased ? Double(m * (m - 1)) : Double(m * m)
    return 2 * cross / Double(n * m) - within(x) / pairsX - within(y) / pairsY
  }
}

/// A sliced energy-distance estimate with its Monte-Carlo error.
public struct SlicedEnergyDistanceOutput: Sendable, Equatable {
  /// The estimate of the exact energy distance (mean over directions of the
  /// 1-D energy distance divided by c_d).
  public let value: Double
  /// Standard error of ``value`` across directions, sd/√K.
  public let standardError: Double
  /// Each direction's 1-D energy distance divided by c_d.
  public let perDirection: [Double]
  /// c_d, the dimension-dependent constant.
  public let projectionConstant: Double
}
