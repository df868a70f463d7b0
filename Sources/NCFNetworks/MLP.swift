import NCFTensor
import NCFAutodiff

/// A scalar multilayer perceptron u: ℝⁿ → ℝ with smooth activations:
///
///     h₀ = z,   aₗ = hₗ₋₁Wₗ + bₗ,   hₗ = ρₗ·hₗ₋₁ + σ(aₗ)   (l = 1…L),   u = h_L w + c
///
/// where ρₗ = 1 for residual (skip) connections — used when `residual` is set,
/// for hidden layers l ≥ 2 whose input and output widths agree — and 0 otherwise.
///
/// The architecture is a value; the weights live in a separate
/// ``ParameterSet`` (names `layer<l>.weight` (nₗ₋₁×nₗ), `layer<l>.bias`
/// (1×nₗ), `output.weight` (n_L×1), `output.bias` (1×1)), so the same
/// architecture can evaluate several parameter sets (e.g. during a
/// finite-difference check) and the optimiser can own the parameters.
public struct MLP: Sendable, Equatable, Codable {
  /// Input dimension n₀.
  public var inputDimension: Int
  /// Hidden widths n₁ … n_L.
  public var hiddenWidths: [Int]
  /// The activation σ of every hidden layer.
  public var activation: Activation
  /// Skip connections between equal-width hidden layers.
  public var residual: Bool

  /// - Precondition: inputDimension ≥ 1, at least one hidden layer, widths ≥ 1.
  public init(inputDimension: Int, hiddenWidths: [Int], activation: Activation = .tanh, residual: Bool = false) {
    precondition(inputDimension >= 1, "MLP needs at least one input")
    precondition(!hiddenWidths.isEmpty && hiddenWidths.allSatisfy { $0 >= 1 }, "MLP needs hidden layers of width ≥ 1")
    self.inputDimension = inputDimension
    self.hiddenWidths = hiddenWidths
    self.activation = activation
    self.residual = residual
  }

  /// Number of hidden layers L.
  public var depth: Int { hiddenWidths.count }

  /// Width of hₗ (l = 0 is the input).
  public func width(_ l: Int) -> Int { l == 0 ? inputDimension : hiddenWidths[l - 1] }

  /// Whether layer l (1-based) has a skip connection.
  public func hasSkip(_ l: Int) -> Bool { residual && l >= 2 && width(l - 1) == width(l) }

  /// Parameter names in order.
  public var parameterNames: [String] {
    (1...depth).flatMap { ["layer\($0).weight", "layer\($0).bias"] } + ["output.weight", "output.bias"]
  }

  /// Total number of trainable scalars.
  public var parameterCount: Int {
    (1...depth).reduce(0) { $0 + width($1 - 1) * width($1) + width($1) } + width(depth) + 1
  }

  /// Seeded initial parameters: weights N(0, gain²/fan_in) with gain 1
  /// (tanh) or √2 (softplus, SiLU), zero biases, and an output layer scaled
  /// by `outputScale` (small values start u near a constant, which keeps
  /// the initial transport map near the identity).
  public func initialParameters<S: TensorScalar>(
    seed: UInt64, outputScale: Double = 1, as: S.Type = S.self
  ) -> ParameterSet<S> {
    var rng = SeededRandom(seed: seed)
    let gain: Double
    switch activation {
    case .tanh: gain = 1
    case .softplus, .silu: gain = 2.0.squareRoot()
    }
    var p = ParameterSet<S>()
    for l in 1...depth {
      let (fanIn, fanOut) = (width(l - 1), width(l))
      let std = gain / Double(fanIn).squareRoot() / (hasSkip(l) ? Double(depth).squareRoot() : 1)
      p.append("layer\(l).weight", Tensor.normal(rows: fanIn, columns: fanOut, standardDeviation: S(std), using: &rng))
      p.append("layer\(l).bias", Tensor.zeros(rows: 1, columns: fanOut))
    }
    let std = outputScale / Double(width(depth)).squareRoot()
    p.append("output.weight", Tensor.normal(rows: width(depth), columns: 1, standardDeviation: S(std), using: &rng))
    p.append("output.bias", Tensor.zeros(rows: 1, columns: 1))
    return p
  }

  /// Checks that `parameters` fit this architecture.
  public func validate<S>(_ parameters: ParameterSet<S>) -> String? {
    guard parameters.names == parameterNames else { return "parameter names \(parameters.names) do not match \(parameterNames)" }
    for l in 1...depth {
      let w = parameters.tensors[2 * l - 2], b = parameters.tensors[2 * l - 1]
      if w.rows != width(l - 1) || w.columns != width(l) { return "layer\(l).weight is \(w.rows)×\(w.columns), expected \(width(l - 1))×\(width(l))" }
      if b.rows != 1 || b.columns != width(l) { return "layer\(l).bias is \(b.rows)×\(b.columns), expected 1×\(width(l))" }
    }
    let w = parameters.tensors[2 * depth], c = parameters.tensors[2 * depth + 1]
    if w.rows != width(depth) || w.columns != 1 { return "output.weight is \(w.rows)×\(w.columns), expected \(width(depth))×1" }
    if !c.isScalar { return "output.bias must be 1×1" }
    return nil
  }
}
