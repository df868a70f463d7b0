import NCFTensor

// Element-wise functions. Each is y = f(x) with pullback x̄ = ȳ ⊙ f′(x);
// f′ is computed lazily, only when a cotangent is requested.

extension Variable {
  /// Records y = f(x) element-wise with derivative `derivative(x, y)`.
  ///
  /// The building block for every element-wise op, including user-defined
  /// ones (e.g. an activation σ or its derivative σ′, whose own derivative σ″
  /// is then supplied here).
  @inlinable
  public func elementwise(
    _ op: String, value y: Tensor<Scalar>,
    derivative: @escaping (_ x: Tensor<Scalar>, _ y: Tensor<Scalar>) -> Tensor<Scalar>
  ) -> Variable {
    let x = value
    precondition(y.hasShape(of: x), "\(op): output shape differs from input shape")
    return tape.record(op, inputs: [self], output: y) { ct, _ in [ct * derivative(x, y)] }
  }

  /// eˣ
  @inlinable
  public func exp() -> Variable { elementwise("exp", value: value.exp()) { _, y in y } }
  /// log x
  @inlinable
  public func log() -> Variable { elementwise("log", value: value.log()) { x, _ in x.map { 1 / $0 } } }
  /// tanh x
  @inlinable
  public func tanh() -> Variable { elementwise("tanh", value: value.tanh()) { _, y in y.map { 1 - $0 * $0 } } }
  /// 1 / (1 + e⁻ˣ)
  @inlinable
  public func sigmoid() -> Variable { elementwise("sigmoid", value: value.sigmoid()) { _, y in y.map { $0 * (1 - $0) } } }
  /// log(1 + eˣ)
  @inlinable
  public func softplus() -> Variable { elementwise("softplus", value: value.softplus()) { x, _ in x.sigmoid() } }
  /// sin x
  @inlinable
  public func sin() -> Variable { elementwise("sin", value: value.sin()) { x, _ in x.cos() } }
  /// cos x
  @inlinable
  public func cos() -> Variable { elementwise("cos", value: value.cos()) { x, _ in -x.sin() } }
  /// x²
  @inlinable
  public func squared() -> Variable { elementwise("square", value: value.squared()) { x, _ in x * 2 } }
  /// |x| (derivative sign(x), 0 at 0).
  @inlinable
  public func abs() -> Variable {
    elementwise("abs", value: value.magnitude()) { x, _ in x.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }
  }

  /// √x. The derivative 1/(2√x) is infinite at 0; there it is taken as 0
  /// (the subgradient that keeps gradients finite when x = 0 exactly).
  @inlinable
  public func squareRoot() -> Variable {
    elementwise("sqrt", value: value.squareRoot()) { _, y in y.map { $0 > 0 ? 1 / (2 * $0) : 0 } }
  }

  /// sign(x)·|x|ᵉ, the odd power (for e > 0). Its derivative e·|x|^{e−1} is
  /// taken as 0 at x = 0 when e < 1.
  /// - Precondition: e > 0.
  @inlinable
  public func signedPower(_ e: Scalar) -> Variable {
    precondition(e > 0, "signedPower needs a positive exponent")
    let y = value.map { x in x == 0 ? 0 : (x < 0 ? -Scalar.pow(-x, e) : Scalar.pow(x, e)) }
    return elementwise("signed_pow", value: y) { x, _ in
      x.map { v in v == 0 ? (e == 1 ? 1 : 0) : e * Scalar.pow(Swift.abs(v), e - 1) }
    }
  }

  /// |x|ᵉ (for e ≥ 1), with derivative e·sign(x)|x|^{e−1}.
  @inlinable
  public func absPower(_ e: Scalar) -> Variable {
    precondition(e >= 1, "absPower needs an exponent ≥ 1")
    let y = value.map { Scalar.pow(Swift.abs($0), e) }
    return elementwise("abs_pow", value: y) { x, _ in
      x.map { v in v == 0 ? 0 : (v < 0 ? -1 : 1) * e * Scalar.pow(Swift.abs(v), e - 1) }
    }
  }
}
