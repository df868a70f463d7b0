import NCFTensor

/// A normalised histogram on the unit cube [0, 1]^k with `bins` equal bins
/// per axis: 1-D per-channel histograms (k = 1) and joint colour histograms
/// (k = 3) of pixels in [0, 1].
///
/// Binning: a value v goes to bin ⌊v·bins⌋, with v = 1 in the last bin;
/// values below 0 or above 1 are clamped into the first or last bin.
/// Masses are stored row-major with the first axis slowest, and sum to 1.
/// Distances between histograms treat each one as a discrete measure on the
/// bin centres (cᵢ + ½)/bins.
public struct Histogram: Sendable, Equatable {
  /// Bins per axis.
  public let bins: Int
  /// Number of axes k.
  public let dimension: Int
  /// bins^k masses, summing to 1.
  public let masses: [Double]

  /// A histogram from (unnormalised, non-negative) bin masses.
  /// - Precondition: `masses.count == bins^dimension`, masses finite and ≥ 0, positive total.
  public init(masses: [Double], bins: Int, dimension: Int = 1) {
    precondition(bins >= 1 && dimension >= 1, "histogram: bins and dimension must be ≥ 1")
    precondition(masses.count == Self.cellCount(bins: bins, dimension: dimension), "histogram: wrong number of masses")
    precondition(masses.allSatisfy { $0 >= 0 && $0.isFinite }, "histogram: masses must be finite and ≥ 0")
    let total = masses.reduce(0, +)
    precondition(total > 0, "histogram: the total mass must be positive")
    self.bins = bins
    self.dimension = dimension
    self.masses = masses.map { $0 / total }
  }

  static func cellCount(bins: Int, dimension: Int) -> Int {
    var c = 1
    for _ in 0..<dimension {
      let (p, overflow) = c.multipliedReportingOverflow(by: bins)
      precondition(!overflow && p <= 1 << 26, "histogram: bins^dimension is too large")
      c = p
    }
    return c
  }

  /// The bin of a value v ∈ [0, 1] (see the type's binning rule): the one
  /// definition, also used by the colour histograms of images.
  /// - Precondition: v is not NaN.
  @inlinable @inline(__always)
  public static func binIndex(_ v: Double, bins: Int) -> Int {
    precondition(!v.isNaN, "histogram: NaN value")
    if v <= 0 { return 0 }
    return min(Int(v * Double(bins)), bins - 1)
  }

  /// One 1-D histogram per column of `values` (n×channels, e.g. RGB pixels).
  /// - Precondition: at least one row; no NaN.
  /// - Complexity: O(n·channels) time.
  public static func perChannel<S: TensorScalar>(_ values: Tensor<S>, bins: Int) -> [Histogram] {
    precondition(values.rows >= 1, "histogram: no values")
    return (0..<values.columns).map { c in
      var counts = [Double](repeating: 0, count: bins)
      for i in 0..<values.rows { counts[binIndex(Double(values[i, c]), bins: bins)] += 1 }
      return Histogram(masses: counts, bins: bins, dimension: 1)
    }
  }

  /// The joint histogram of the rows of `values` (n×k; k = 3 for colour).
  /// - Precondition: at least one row; no NaN; bins^k ≤ 2²⁶.
  /// - Complexity: O(n·k + bins^k) time, O(bins^k) memory.
  public static func joint<S: TensorScalar>(_ values: Tensor<S>, bins: Int) -> Histogram {
    precondition(values.rows >= 1 && values.columns >= 1, "histogram: no values")
    let k = values.columns
    var counts = [Double](repeating: 0, count: cellCount(bins: bins, dimension: k))
    for i in 0..<values.rows {
      var cell = 0
      for c in 0..<k { cell = cell * bins + binIndex(Double(values[i, c]), bins: bins) }
      counts[cell] += 1
    }
    return Histogram(masses: counts, bins: bins, dimension: k)
  }

  /// The centre of every bin, one row per bin in storage order (bins^k × k).
  public var binCentres: Tensor<Double> {
    let cells = masses.count
    return Tensor(rows: cells, columns: dimension) { out in
      for cell in 0..<cells {
        var rest = cell
        for c in stride(from: dimension - 1, through: 0, by: -1) {
          out[cell * dimension + c] = (Double(rest % bins) + 0.5) / Double(bins)
          rest /= bins
        }
      }
    }
  }

  /// Histogram intersection Σ min(pᵢ, qᵢ) ∈ [0, 1] (1 for identical histograms).
  /// - Precondition: same bins and dimension.
  public func intersection(_ other: Histogram) -> Double {
    precondition(bins == other.bins && dimension == other.dimension, "histogram intersection: layouts differ")
    return zip(masses, other.masses).reduce(0) { $0 + min($1.0, $1.1) }
  }

  /// The Wasserstein distance W_p (p = 1 or 2) between the two histograms as
  /// measures on the bin centres, with the Euclidean ground distance.
  ///
  /// 1-D: closed forms, W₁ = Σ |F_p − F_q|·(1/bins) over the bins (CDFs) and
  /// W₂² = ∫₀¹ |F_p⁻¹(t) − F_q⁻¹(t)|² dt (quantile functions, by merging).
  /// k-D: exact OT between the nonempty bins with ``NetworkSimplex``.
  ///
  /// - Precondition: same bins and dimension; order 1 or 2.
  /// - Throws: ``DiscreteOTError`` if the exact solver cannot certify optimality.
  /// - Complexity: 1-D O(bins); k-D O(cells²) memory for the cost matrix of the
  ///   nonempty cells plus the network simplex.
  public func wasserstein(_ other: Histogram, order: Int = 1) throws -> Double {
    precondition(bins == other.bins && dimension == other.dimension, "histogram distance: layouts differ")
    precondition(order == 1 || order == 2, "histogram distance: order must be 1 or 2")
    if dimension == 1 {
      return order == 1 ? oneDimensionalW1(other) : oneDimensionalW2(other)
    }
    let rowsP = masses.indices.filter { masses[$0] > 0 }, rowsQ = other.masses.indices.filter { other.masses[$0] > 0 }
    let centres = binCentres
    let problem = try DiscreteOTProblem(
      source: centres.gathering(rows: rowsP), target: centres.gathering(rows: rowsQ),
      a: rowsP.map { masses[$0] }, b: rowsQ.map { other.masses[$0] },
      cost: order == 1 ? .euclidean : .sqeuclidean)
    let cost = try NetworkSimplex()(problem).cost
    return order == 1 ? cost : max(cost, 0).squareRoot()
  }

  private func oneDimensionalW1(_ other: Histogram) -> Double {
    var fp = 0.0, fq = 0.0, s = 0.0
    for k in 0..<(bins - 1) {
      fp += masses[k]
      fq += other.masses[k]
      s += abs(fp - fq)
    }
    return s / Double(bins)
  }

  private func oneDimensionalW2(_ other: Histogram) -> Double {
    // Monotone coupling of the two measures on the sorted centres.
    var i = 0, j = 0
    var ra = masses[0], rb = other.masses[0]
    var s = 0.0
    while i < bins && j < bins {
      let t = min(ra, rb)
      let gap = Double(i - j) / Double(bins)
      s += t * gap * gap
      ra -= t
      rb -= t
      if ra <= rb {
        i += 1
        if i < bins { ra = masses[i] }
      } else {
        j += 1
        if j < bins { rb = other.masses[j] }
      }
    }
    return s.squareRoot()
  }
}
