import NCFTensor

/// A dense input-convex network with rank-r quadratic input layers, as used
/// by the Wasserstein-2 benchmark (Korotin et al. 2021) for its potentials ψ:
///
///     qᵢ(x) = Σ_r (x·Aᵢ[:, r, :])² + Wᵢx + bᵢ
///     z₀ = q₀(x),  zᵢ = CELU(Cᵢ₋₁ zᵢ₋₁ + qᵢ(x)) for i ≥ 1
///     ψ(x) = F z_last + ½ s |x|²
///
/// with CELU(z) = z for z > 0 and eᶻ − 1 otherwise. Convex in x when every
/// Cᵢ and F are non-negative (the benchmark's weights are); ``gradient(_:)``
/// is the exact ∇ψ, computed by a hand-written backward pass.
public struct DenseICNN<S: TensorScalar>: Sendable {
  /// One quadratic input layer qᵢ.
  public struct QuadraticLayer: Sendable {
    /// The rank factors A[:, r, :], one d×h matrix per rank r.
    public var factors: [Tensor<S>]
    /// W transposed (d×h), so that a batch X (n×d) gives X·Wᵀ directly.
    public var weightTransposed: Tensor<S>
    /// The bias b (1×h).
    public var bias: Tensor<S>
    public var width: Int { bias.columns }
  }

  /// q₀, q₁, …: one per hidden layer.
  public var quadraticLayers: [QuadraticLayer]
  /// Cᵢ transposed (hᵢ×hᵢ₊₁), for i = 0 … layers − 2.
  public var convexTransposed: [Tensor<S>]
  /// F as a row (1×h_last).
  public var final: Tensor<S>
  /// The strong-convexity weight s.
  public var strongConvexity: S

  /// - Precondition: the shapes chain: every factor and Wᵀ is d×hᵢ,
  ///   `convexTransposed[i]` is hᵢ×hᵢ₊₁, `final` is 1×h_last.
  public init(quadraticLayers: [QuadraticLayer], convexTransposed: [Tensor<S>], final: Tensor<S>, strongConvexity: S) {
    precondition(!quadraticLayers.isEmpty && convexTransposed.count == quadraticLayers.count - 1, "DenseICNN: layer counts")
    let d = quadraticLayers[0].weightTransposed.rows
    for (i, q) in quadraticLayers.enumerated() {
      precondition(q.bias.rows == 1 && q.weightTransposed.rows == d && q.weightTransposed.columns == q.width
                   && !q.factors.isEmpty && q.factors.allSatisfy { $0.rows == d && $0.columns == q.width },
                   "DenseICNN: quadratic layer \(i) shapes")
    }
    for (i, c) in convexTransposed.enumerated() {
      precondition(c.rows == quadraticLayers[i].width && c.columns == quadraticLayers[i + 1].width, "DenseICNN: convex layer \(i) shape")
    }
    precondition(final.rows == 1 && final.columns == quadraticLayers.last!.width, "DenseICNN: final layer shape")
    (self.quadraticLayers, self.convexTransposed, self.final, self.strongConvexity) =
      (quadraticLayers, convexTransposed, final, strongConvexity)
  }

  /// The input dimension d.
  public var dimension: Int { quadraticLayers[0].weightTransposed.rows }

  /// The same network in another precision.
  public func converted<T: TensorScalar>(to: T.Type = T.self) -> DenseICNN<T> {
    DenseICNN<T>(
      quadraticLayers: quadraticLayers.map {
        .init(factors: $0.factors.map { $0.converted(to: T.self) }, weightTransposed: $0.weightTransposed.converted(to: T.self),
              bias: $0.bias.converted(to: T.self))
      },
      convexTransposed: convexTransposed.map { $0.converted(to: T.self) }, final: final.converted(to: T.self),
      strongConvexity: T(Double(strongConvexity)))
  }

  /// What the backward pass needs from the forward one.
  private struct Forward {
    var projections: [[Tensor<S>]]  // per layer, per rank: X·A (n×h)
    var preActivations: [Tensor<S>]  // per layer ≥ 1: Cz + q (n×h)
    var last: Tensor<S>  // z of the last layer
  }

  private func forward(_ x: Tensor<S>) -> Forward {
    var projections: [[Tensor<S>]] = [], pre: [Tensor<S>] = []
    var z = Tensor<S>.zeros(rows: 0, columns: 0)
    for (i, layer) in quadraticLayers.enumerated() {
      let p = layer.factors.map { Tensor.matmul(x, $0) }
      var q = Tensor.matmul(x, layer.weightTransposed) + layer.bias
      for pr in p { q.add(pr.squared()) }
      projections.append(p)
      if i == 0 {
        z = q  // no activation on the first layer
      } else {
        var u = Tensor.matmul(z, convexTransposed[i - 1])
        u.add(q)
        pre.append(u)
        z = u.map { $0 > 0 ? $0 : S.exp($0) - 1 }
      }
    }
    return Forward(projections: projections, preActivations: pre, last: z)
  }

  /// ψ at every row of `x` (n×d → n×1).
  /// - Precondition: `x.columns == dimension`.
  public func value(_ x: Tensor<S>) -> Tensor<S> {
    precondition(x.columns == dimension, "DenseICNN: points have \(x.columns) columns, expected \(dimension)")
    let f = forward(x)
    var out = Tensor.matmul(f.last, final, transposeB: true)
    for i in 0..<x.rows {
      var sq = S(0)
      for k in 0..<x.columns { sq += x[i, k] * x[i, k] }
      out[i, 0] += strongConvexity / 2 * sq
    }
    return out
  }

  /// ∇ψ at every row of `x` (n×d → n×d).
  /// - Precondition: `x.columns == dimension`.
  /// - Complexity: about twice the forward pass, O(n·Σᵢ hᵢ(d·(r + 1) + hᵢ₋₁)).
  public func gradient(_ x: Tensor<S>) -> Tensor<S> {
    precondition(x.columns == dimension, "DenseICNN: points have \(x.columns) columns, expected \(dimension)")
    let f = forward(x)
    let n = x.rows, layers = quadraticLayers.count
    // g = ∂ψ/∂z of the current layer, walking back from F.
    var g = Tensor<S>(rows: n, columns: final.columns, scalars: (0..<n).flatMap { _ in final.scalars })
    var dx = x * strongConvexity
    for i in stride(from: layers - 1, through: 0, by: -1) {
      let layer = quadraticLayers[i]
      // ∂ψ/∂qᵢ: through CELU for i ≥ 1 (CELU′(u) = 1 for u > 0, eᵘ otherwise), directly for q₀.
      let gq: Tensor<S>
      if i >= 1 {
        let u = f.preActivations[i - 1]
        gq = Tensor.broadcasting(g, u) { gv, uv in uv > 0 ? gv : gv * S.exp(uv) }
      } else {
        gq = g
      }
      // q = Σ_r (XA_r)² + XWᵀ + b  ⇒  ∂/∂X = Σ_r (2 XA_r ⊙ gq) A_rᵀ + gq W.
      dx.add(Tensor.matmul(gq, layer.weightTransposed, transposeB: true))
      for (r, a) in layer.factors.enumerated() {
        let scaled = Tensor.broadcasting(f.projections[i][r], gq) { p, gv in 2 * p * gv }
        dx.add(Tensor.matmul(scaled, a, transposeB: true))
      }
      if i >= 1 { g = Tensor.matmul(gq, convexTransposed[i - 1], transposeB: true) }
    }
    return dx
  }
}
