import NCFTensor

/// An equal-weight mixture of Gaussians, each component x = Mₖ z · σ + cₖ
/// with z ~ N(0, I): the W2 benchmark's source ("Mix3").
public struct GaussianMixture: Sendable {
  /// The component means cₖ (K×d).
  public var centers: Tensor<Double>
  /// The component matrices Mₖ (each d×d).
  public var maps: [Tensor<Double>]
  /// The common scale σ.
  public var scale: Double

  /// - Precondition: one d×d matrix per center row, at least one component.
  public init(centers: Tensor<Double>, maps: [Tensor<Double>], scale: Double) {
    precondition(centers.rows == maps.count && centers.rows > 0, "GaussianMixture: one map per center")
    precondition(maps.allSatisfy { $0.rows == centers.columns && $0.columns == centers.columns }, "GaussianMixture: maps must be d×d")
    (self.centers, self.maps, self.scale) = (centers, maps, scale)
  }

  public var dimension: Int { centers.columns }
  public var components: Int { centers.rows }

  /// The mixture's mean, (1/K) Σ cₖ.
  public var mean: [Double] { centers.mean(alongAxis: 0).scalars }

  /// The mixture's covariance, (1/K) Σₖ [σ² MₖMₖᵀ + (cₖ − c̄)(cₖ − c̄)ᵀ].
  public var covariance: Tensor<Double> {
    let d = dimension, k = Double(components), m = mean
    var c = Tensor<Double>.zeros(rows: d, columns: d)
    for (index, a) in maps.enumerated() {
      c.add(Tensor.matmul(a, a, transposeB: true), scaledBy: scale * scale / k)
      let dc = (0..<d).map { centers[index, $0] - m[$0] }
      for i in 0..<d { for j in 0..<d { c[i, j] += dc[i] * dc[j] / k } }
    }
    return c
  }

  /// tr of ``covariance``: the UVP normaliser of a backward map.
  public var totalVariance: Double {
    let c = covariance
    return (0..<dimension).reduce(0) { $0 + c[$1, $1] }
  }

  /// n seeded samples (n×d): for each row a component drawn uniformly, then z.
  /// - Complexity: O(n·d²).
  public func sample(_ n: Int, using rng: inout SeededRandom) -> Tensor<Double> {
    let d = dimension
    let labels = (0..<n).map { _ in rng.integer(below: components) }
    let z = Tensor<Double>.normal(rows: n, columns: d, using: &rng)
    var x = Tensor<Double>.zeros(rows: n, columns: d)
    for k in 0..<components {
      let rows = labels.indices.filter { labels[$0] == k }
      guard !rows.isEmpty else { continue }
      // Rows of Z·Mₖᵀ are Mₖ z.
      let part = Tensor.matmul(z.gathering(rows: rows), maps[k], transposeB: true)
      for (p, r) in rows.enumerated() {
        for j in 0..<d { x[r, j] = part[p, j] * scale + centers[k, j] }
      }
    }
    return x
  }
}
