import NCFTensor
import NCFAutodiff

// The fused network op: u(Z) and G = ∇_z u(Z) in one pass, and its
// hand-derived vector–Jacobian product, which maps cotangents (ū, Ḡ) to
// cotangents of every weight, bias and of Z. This is the second-order path
// of the NCF loss (the loss contains ∇ₓu and is differentiated in θ).
//
// Forward (rows are batch elements; ⊙ is element-wise):
//   aₗ = hₗ₋₁Wₗ + bₗ,  hₗ = ρₗhₗ₋₁ + σ(aₗ),  u = h_L w + c
// Input gradient (gₗ = ∂u/∂hₗ):
//   g_L = 1wᵀ,  δₗ = gₗ ⊙ σ′(aₗ),  gₗ₋₁ = δₗWₗᵀ + ρₗgₗ,  G = g₀
// VJP, phase 1 (adjoint of the gradient chain, l = 1 … L, starting from ḡ₀ = Ḡ):
//   δ̄ₗ = ḡₗ₋₁Wₗ,  W̄ₗ += ḡₗ₋₁ᵀδₗ,  ḡₗ = δ̄ₗ ⊙ σ′(aₗ) + ρₗḡₗ₋₁,
//   āₗ⁽²⁾ = δ̄ₗ ⊙ gₗ ⊙ σ″(aₗ),  and finally w̄ += (1ᵀḡ_L)ᵀ
// VJP, phase 2 (ordinary backprop of the value, l = L … 1, h̄_L = ūwᵀ):
//   āₗ = h̄ₗ ⊙ σ′(aₗ) + āₗ⁽²⁾,  b̄ₗ = 1ᵀāₗ,  W̄ₗ += hₗ₋₁ᵀāₗ,  h̄ₗ₋₁ = āₗWₗᵀ + ρₗh̄ₗ
//   w̄ += h_Lᵀū,  c̄ = 1ᵀū,  Z̄ = h̄₀
// Six GEMMs per layer in all (two forward, four in the VJP).

extension MLP {
  /// Intermediate values of ``forward(_:parameters:inputGradient:keepForPullback:)`` kept for the VJP.
  public struct Cache<S: TensorScalar> {
    /// h₀ … h_L.
    var h: [Tensor<S>] = []
    /// σ′(aₗ) and σ″(aₗ) for l = 1 … L (index l − 1).
    var s1: [Tensor<S>] = []
    var s2: [Tensor<S>] = []
    /// gₗ and δₗ for l = 1 … L (index l − 1); only with the input gradient.
    var g: [Tensor<S>] = []
    var delta: [Tensor<S>] = []
    /// Whether the input gradient was computed (and so can receive a cotangent).
    public internal(set) var hasInputGradient = false
  }

  /// Evaluates u(Z) and, when `inputGradient` is set, G = ∇_z u(Z).
  ///
  /// - Parameters:
  ///   - z: a batch of inputs, B × inputDimension.
  ///   - parameters: weights matching this architecture (see ``validate(_:)``).
  ///   - inputGradient: also compute G (B × inputDimension).
  ///   - keepForPullback: keep what ``pullback(_:parameters:valueCotangent:gradientCotangent:needsInputCotangent:)``
  ///     needs (σ′, and σ″ with the input gradient).
  /// - Returns: u (B×1), G or nil, and the cache.
  /// - Complexity: 2 GEMMs per layer with the gradient, 1 without.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func forward<S: TensorScalar>(
    _ z: Tensor<S>, parameters: ParameterSet<S>, inputGradient: Bool, keepForPullback: Bool = true
  ) -> (u: Tensor<S>, g: Tensor<S>?, cache: Cache<S>) {
    precondition(z.columns == inputDimension, "MLP expects \(inputDimension) input columns, got \(z.columns)")
    let p = parameters.tensors
    precondition(p.count == 2 * depth + 2, "MLP expects \(2 * depth + 2) parameter tensors, got \(p.count)")
    let order = inputGradient ? 2 : (keepForPullback ? 1 : 0)
    var cache = Cache<S>()
    cache.hasInputGradient = inputGradient
    var hPrev = z
    cache.h.reserveCapacity(depth + 1)
    if keepForPullback || inputGradient { cache.h.append(z) }
    for l in 1...depth {
      var a = Tensor<S>.matmul(hPrev, p[2 * l - 2])
      addRowVector(&a, p[2 * l - 1])
      var (y, d1, d2) = activation.evaluate(a, order: order)
      if hasSkip(l) { y.add(hPrev) }
      if let d1 { cache.s1.append(d1) }
      if let d2 { cache.s2.append(d2) }
      if keepForPullback || inputGradient { cache.h.append(y) }
      hPrev = y
    }
    var u = Tensor<S>.matmul(hPrev, p[2 * depth])
    let c = p[2 * depth + 1].scalar
    u.scalars.withUnsafeMutableBufferPointer { for i in 0..<$0.count { $0[i] += c } }
    guard inputGradient else {
      if !keepForPullback { cache.h = [] }
      return (u, nil, cache)
    }
    let batch = z.rows
    // g_L = 1wᵀ; walk down the layers.
    let w = p[2 * depth]
    var gl = Tensor<S>(rows: batch, columns: width(depth)) { out in
      for b in 0..<batch { for j in 0..<w.rows { out[b * w.rows + j] = w.scalars[j] } }
    }
    cache.g = Array(repeating: gl, count: depth)
    cache.delta = Array(repeating: gl, count: depth)
    for l in stride(from: depth, through: 1, by: -1) {
      let delta = gl * cache.s1[l - 1]
      var below: Tensor<S>
      if hasSkip(l) {
        below = gl
        Tensor.gemm(delta, p[2 * l - 2], into: &below, transposeB: true, beta: 1)
      } else {
        below = Tensor.matmul(delta, p[2 * l - 2], transposeB: true)
      }
      cache.g[l - 1] = gl
      cache.delta[l - 1] = delta
      gl = below
    }
    if !keepForPullback { cache = Cache(); cache.hasInputGradient = true }
    return (u, gl, cache)
  }

  /// The vector–Jacobian product of ``forward(_:parameters:inputGradient:keepForPullback:)``.
  ///
  /// - Parameters:
  ///   - cache: from a forward pass with `keepForPullback`.
  ///   - valueCotangent: ū (B×1), or nil for zero.
  ///   - gradientCotangent: Ḡ (B×inputDimension), or nil for zero; non-nil
  ///     requires a forward pass with `inputGradient`.
  ///   - needsInputCotangent: also return Z̄.
  /// - Returns: cotangents of the parameters (in ``ParameterSet`` order) and of Z.
  /// - Complexity: 4 GEMMs per layer with Ḡ, 2 without.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func pullback<S: TensorScalar>(
    _ cache: Cache<S>, parameters: ParameterSet<S>,
    valueCotangent uBar: Tensor<S>?, gradientCotangent gBar: Tensor<S>?, needsInputCotangent: Bool
  ) -> (parameters: [Tensor<S>], input: Tensor<S>?) {
    precondition(!cache.h.isEmpty, "pullback needs a forward pass with keepForPullback")
    precondition(gBar == nil || cache.hasInputGradient, "a gradient cotangent needs a forward pass with inputGradient")
    let p = parameters.tensors
    let batch = cache.h[0].rows
    var grads: [Tensor<S>] = (1...depth).flatMap { l in
      [Tensor<S>.zeros(rows: width(l - 1), columns: width(l)), Tensor<S>.zeros(rows: 1, columns: width(l))]
    }
    var wBar = Tensor<S>.zeros(rows: width(depth), columns: 1)
    var aBar2 = [Tensor<S>?](repeating: nil, count: depth)

    // Phase 1: adjoint of the input-gradient chain.
    if let gBar {
      precondition(gBar.rows == batch && gBar.columns == inputDimension, "gradient cotangent has the wrong shape")
      var gb = gBar
      for l in 1...depth {
        let deltaBar = Tensor<S>.matmul(gb, p[2 * l - 2])
        Tensor.gemm(gb, cache.delta[l - 1], into: &grads[2 * l - 2], transposeA: true, beta: 1)
        let skip = hasSkip(l)
        var next = Tensor<S>(rows: batch, columns: width(l), unsafeUninitialized: { _ in })
        var a2 = Tensor<S>(rows: batch, columns: width(l), unsafeUninitialized: { _ in })
        deltaBar.scalars.withUnsafeBufferPointer { db in
          cache.s1[l - 1].scalars.withUnsafeBufferPointer { s1 in
            cache.s2[l - 1].scalars.withUnsafeBufferPointer { s2 in
              cache.g[l - 1].scalars.withUnsafeBufferPointer { g in
                gb.scalars.withUnsafeBufferPointer { prev in
                  next.scalars.withUnsafeMutableBufferPointer { nx in
                    a2.scalars.withUnsafeMutableBufferPointer { a2p in
                      for i in 0..<db.count {
                        nx[i] = skip ? db[i] * s1[i] + prev[i] : db[i] * s1[i]
                        a2p[i] = db[i] * g[i] * s2[i]
                      }
                    }
                  }
                }
              }
            }
          }
        }
        aBar2[l - 1] = a2
        gb = next
      }
      wBar.add(gb.sum(alongAxis: 0).reshaped(rows: width(depth), columns: 1))
    }

    // Phase 2: backprop of the value (plus the second-order terms).
    let w = p[2 * depth]
    var hBar: Tensor<S>
    var cBar: S = 0
    if let uBar {
      precondition(uBar.rows == batch && uBar.columns == 1, "value cotangent must be B×1")
      hBar = Tensor.matmul(uBar, w, transposeB: true)
      Tensor.gemm(cache.h[depth], uBar, into: &wBar, transposeA: true, beta: 1)
      cBar = uBar.sum()
    } else {
      hBar = Tensor.zeros(rows: batch, columns: width(depth))
    }
    var zBar: Tensor<S>? = nil
    for l in stride(from: depth, through: 1, by: -1) {
      var aBar = hBar * cache.s1[l - 1]
      if let a2 = aBar2[l - 1] { aBar.add(a2) }
      grads[2 * l - 1] = aBar.sum(alongAxis: 0)
      Tensor.gemm(cache.h[l - 1], aBar, into: &grads[2 * l - 2], transposeA: true, beta: 1)
      if l > 1 || needsInputCotangent {
        if hasSkip(l) {
          Tensor.gemm(aBar, p[2 * l - 2], into: &hBar, transposeB: true, beta: 1)
        } else {
          hBar = Tensor.matmul(aBar, p[2 * l - 2], transposeB: true)
        }
      }
    }
    if needsInputCotangent { zBar = hBar }
    grads.append(wBar)
    grads.append(Tensor(scalar: cBar))
    return (grads, zBar)
  }

  @inline(__always)
  func addRowVector<S: TensorScalar>(_ a: inout Tensor<S>, _ bias: Tensor<S>) {
    let c = a.columns
    a.scalars.withUnsafeMutableBufferPointer { ap in
      bias.scalars.withUnsafeBufferPointer { bp in
        for i in 0..<a.rows { for j in 0..<c { ap[i * c + j] += bp[j] } }
      }
    }
  }
}

// MARK: - Tape integration

extension MLP {
  /// u(Z) and G = ∇_z u(Z) as tape variables; both receive cotangents through
  /// the fused second-order VJP.
  /// - Parameters:
  ///   - z: B × inputDimension.
  ///   - parameters: the parameter tensors (values) in order.
  ///   - variables: the same parameters as variables on the tape (from
  ///     ``ParameterSet/variables(on:)`` or ``ParameterSet/constants(on:)``).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func valueAndInputGradient<S: TensorScalar>(
    _ z: Variable<S>, parameters: ParameterSet<S>, variables: [Variable<S>]
  ) -> (u: Variable<S>, g: Variable<S>) {
    let needsPullback = z.requiresGradient || variables.contains { $0.requiresGradient }
    let (u, g, cache) = forward(z.value, parameters: parameters, inputGradient: true, keepForPullback: needsPullback)
    let outs = z.tape.record("mlp_value_and_gradient", inputs: [z] + variables, outputs: [u, g!]) { cts, needs in
      let (grads, zBar) = self.pullback(
        cache, parameters: parameters, valueCotangent: cts[0], gradientCotangent: cts[1], needsInputCotangent: needs[0])
      return [zBar] + grads.map { Optional($0) }
    }
    return (outs[0], outs[1])
  }

  /// u(Z) alone as a tape variable (first-order VJP only).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func value<S: TensorScalar>(
    _ z: Variable<S>, parameters: ParameterSet<S>, variables: [Variable<S>]
  ) -> Variable<S> {
    let needsPullback = z.requiresGradient || variables.contains { $0.requiresGradient }
    let (u, _, cache) = forward(z.value, parameters: parameters, inputGradient: false, keepForPullback: needsPullback)
    return z.tape.record("mlp_value", inputs: [z] + variables, output: u) { ct, needs in
      let (grads, zBar) = self.pullback(
        cache, parameters: parameters, valueCotangent: ct, gradientCotangent: nil, needsInputCotangent: needs[0])
      return [zBar] + grads.map { Optional($0) }
    }
  }

  /// The same u and ∇_z u written with generic tape ops (matmul, σ, σ′ …)
  /// instead of the fused op. Differentiating it exercises only first-order
  /// pullbacks, so it is an independent oracle for the fused VJP, and the
  /// benchmark's baseline.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func valueAndInputGradientComposed<S: TensorScalar>(
    _ z: Variable<S>, variables p: [Variable<S>]
  ) -> (u: Variable<S>, g: Variable<S>) {
    var h = [z]
    var s1: [Variable<S>] = []
    for l in 1...depth {
      let a = matmul(h[l - 1], p[2 * l - 2]) + p[2 * l - 1]
      var y = a.activation(activation)
      if hasSkip(l) { y = y + h[l - 1] }
      s1.append(a.activationDerivative(activation))
      h.append(y)
    }
    let u = matmul(h[depth], p[2 * depth]) + p[2 * depth + 1]
    let ones = z.tape.constant(Tensor(rows: z.rows, columns: 1, repeating: 1))
    var g = matmul(ones, p[2 * depth], transposeB: true)  // 1wᵀ
    for l in stride(from: depth, through: 1, by: -1) {
      let delta = g * s1[l - 1]
      let below = matmul(delta, p[2 * l - 2], transposeB: true)
      g = hasSkip(l) ? below + g : below
    }
    return (u, g)
  }
}
