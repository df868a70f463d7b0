import NCFTensor
import NCFAutodiff

/// A vector-valued multilayer perceptron ℝⁿ → ℝᵐ on the tape:
///
///     h₀ = x,   hₗ = σ(hₗ₋₁Wₗ + bₗ) (l < L),   y = h_{L−1}W_L + b_L
///
/// The building block of the image models (``VariationalAutoencoder``,
/// ``ImageClassifier``); unlike ``MLP`` (a scalar potential with its fused
/// input gradient) it has a linear output of any width and only needs
/// first-order gradients. Parameters are named `<prefix>dense<l>.weight`
/// (nₗ₋₁×nₗ) and `<prefix>dense<l>.bias` (1×nₗ), so several networks can share
/// one ``ParameterSet``.
public struct DenseNetwork: Sendable, Equatable, Codable {
  /// Input width n₀.
  public var inputDimension: Int
  /// Widths n₁ … n_L; the last is the output width.
  public var layerWidths: [Int]
  /// The activation σ after every layer but the last.
  public var activation: Activation

  /// - Precondition: every width ≥ 1 and at least one layer.
  public init(inputDimension: Int, layerWidths: [Int], activation: Activation = .silu) {
    precondition(inputDimension >= 1 && !layerWidths.isEmpty && layerWidths.allSatisfy { $0 >= 1 },
                 "a dense network needs an input and at least one layer, all of width ≥ 1")
    self.inputDimension = inputDimension
    self.layerWidths = layerWidths
    self.activation = activation
  }

  /// The output width.
  public var outputDimension: Int { layerWidths[layerWidths.count - 1] }

  /// Width of hₗ (l = 0 is the input).
  func width(_ l: Int) -> Int { l == 0 ? inputDimension : layerWidths[l - 1] }

  /// Parameter names in order, with `prefix`.
  public func parameterNames(prefix: String = "") -> [String] {
    (1...layerWidths.count).flatMap { ["\(prefix)dense\($0).weight", "\(prefix)dense\($0).bias"] }
  }

  /// Seeded initial parameters: weights N(0, gain²/fan_in) (gain √2 for the
  /// hidden layers, 1 for the linear output), zero biases.
  public func initialParameters<S: TensorScalar>(prefix: String = "", seed: UInt64, as: S.Type = S.self) -> ParameterSet<S> {
    var rng = SeededRandom(seed: seed)
    var p = ParameterSet<S>()
    for l in 1...layerWidths.count {
      let gain = l == layerWidths.count ? 1 : 2.0.squareRoot()
      let std = gain / Double(width(l - 1)).squareRoot()
      p.append("\(prefix)dense\(l).weight", Tensor.normal(rows: width(l - 1), columns: width(l), standardDeviation: S(std), using: &rng))
      p.append("\(prefix)dense\(l).bias", Tensor.zeros(rows: 1, columns: width(l)))
    }
    return p
  }

  /// The outputs (rows×m) for inputs `x` (rows×n₀) on `x`'s tape.
  /// - Precondition: `parameters` holds this network's 2L parameters in order, on the same tape.
  public func apply<S>(_ x: Variable<S>, parameters: ArraySlice<Variable<S>>) -> Variable<S> {
    precondition(parameters.count == 2 * layerWidths.count, "\(parameters.count) parameters for \(layerWidths.count) layers")
    precondition(x.columns == inputDimension, "input has \(x.columns) columns, the network takes \(inputDimension)")
    var h = x
    let first = parameters.startIndex
    for l in 0..<layerWidths.count {
      h = matmul(h, parameters[first + 2 * l]) + parameters[first + 2 * l + 1]
      if l < layerWidths.count - 1 { h = h.activation(activation) }
    }
    return h
  }

  /// The outputs for `x` without recording gradients, computed in row blocks
  /// of at most `blockRows` (memory stays bounded for large inputs).
  public func callAsFunction<S>(_ x: Tensor<S>, parameters: [Tensor<S>], blockRows: Int = 4096) -> Tensor<S> {
    var blocks: [Tensor<S>] = []
    var start = 0
    repeat {
      let end = min(x.rows, start + blockRows)
      let tape = Tape<S>()
      let ps = parameters.map { tape.constant($0) }
      blocks.append(apply(tape.constant(x.rows(start..<end)), parameters: ps[...]).value)
      start = end
    } while start < x.rows
    return Tensor.concatenatingRows(blocks)
  }

  /// Checks that `parameters` (those named with `prefix`) fit this architecture.
  public func validate<S>(_ parameters: ParameterSet<S>, prefix: String = "") -> String? {
    for l in 1...layerWidths.count {
      guard let w = parameters["\(prefix)dense\(l).weight"], let b = parameters["\(prefix)dense\(l).bias"] else {
        return "missing \(prefix)dense\(l) parameters"
      }
      if w.rows != width(l - 1) || w.columns != width(l) { return "\(prefix)dense\(l).weight is \(w.rows)×\(w.columns), expected \(width(l - 1))×\(width(l))" }
      if b.rows != 1 || b.columns != width(l) { return "\(prefix)dense\(l).bias is \(b.rows)×\(b.columns), expected 1×\(width(l))" }
    }
    return nil
  }
}
