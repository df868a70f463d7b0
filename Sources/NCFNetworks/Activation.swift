import NCFTensor
import NCFAutodiff

/// Smooth activation functions σ with the first and second derivatives that
/// the fused value + input-gradient op needs (σ′ for ∇ₓu, σ″ for its VJP).
public enum Activation: Sendable, Equatable, Codable, CustomStringConvertible {
  /// tanh: σ′ = 1 − σ², σ″ = −2σσ′.
  case tanh
  /// softplus with sharpness β: σ = log(1 + e^{βx})/β, σ′ = sigmoid(βx),
  /// σ″ = β σ′(1 − σ′). β → ∞ approaches ReLU; β ≈ 1–10 keeps σ″ tame.
  case softplus(beta: Double)
  /// SiLU (swish): σ = x·sigmoid(x).
  case silu

  public var description: String {
    switch self {
    case .tanh: return "tanh"
    case .softplus(let b):
      if b == 1 { return "softplus" }
      return b == b.rounded() && abs(b) < 1e9 ? "softplus:\(Int(b))" : "softplus:\(b)"
    case .silu: return "silu"
    }
  }

  /// Parses `tanh`, `silu`, `softplus` or `softplus:β` (0 < β ≤ Float's maximum, see ``validationError``).
  public init?(_ text: String) {
    let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
    switch parts.first {
    case "tanh" where parts.count == 1: self = .tanh
    case "silu" where parts.count == 1, "swish" where parts.count == 1: self = .silu
    case "softplus":
      if parts.count == 1 { self = .softplus(beta: 1); return }
      guard let b = Double(parts[1]), Activation.softplus(beta: b).validationError == nil else { return nil }
      self = .softplus(beta: b)
    default: return nil
    }
  }

  /// σ(x), and σ′(x), σ″(x) when `order` ≥ 1, 2, in one pass over x.
  /// - Returns: (σ, σ′ or nil, σ″ or nil), each the shape of x.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func evaluate<S: TensorScalar>(_ x: Tensor<S>, order: Int) -> (Tensor<S>, Tensor<S>?, Tensor<S>?) {
    switch self {
    case .tanh:
      let y = x.tanh()
      guard order >= 1 else { return (y, nil, nil) }
      let d1 = y.map { 1 - $0 * $0 }
      guard order >= 2 else { return (y, d1, nil) }
      return (y, d1, Tensor.broadcasting(y, d1) { -2 * $0 * $1 })
    case .softplus(let beta):
      let b = S(beta)
      let bx = beta == 1 ? x : x * b
      var y = bx.softplus()
      if beta != 1 { y = y * (1 / b) }
      guard order >= 1 else { return (y, nil, nil) }
      let sg = bx.sigmoid()
      guard order >= 2 else { return (y, sg, nil) }
      return (y, sg, sg.map { b * $0 * (1 - $0) })
    case .silu:
      let sg = x.sigmoid()
      let y = x * sg
      guard order >= 1 else { return (y, nil, nil) }
      let d1 = Tensor.broadcasting(x, sg) { x, s in s + x * s * (1 - s) }
      guard order >= 2 else { return (y, d1, nil) }
      return (y, d1, Tensor.broadcasting(x, sg) { x, s in s * (1 - s) * (2 + x * (1 - 2 * s)) })
    }
  }
}

extension Variable {
  /// σ(x) as a tape op (derivative σ′).
  public func activation(_ a: Activation) -> Variable {
    let (y, _, _) = a.evaluate(value, order: 0)
    return elementwise("\(a)", value: y) { x, _ in a.evaluate(x, order: 1).1! }
  }

  /// σ′(x) as a tape op (derivative σ″): lets the input-gradient of a network
  /// be written with ordinary tape ops and differentiated again.
  public func activationDerivative(_ a: Activation) -> Variable {
    let (_, d1, _) = a.evaluate(value, order: 1)
    return elementwise("\(a)'", value: d1!) { x, _ in a.evaluate(x, order: 2).2! }
  }
}
