import NCFTensor
import NCFAutodiff

/// A β-VAE with dense encoder and decoder for images with values in [0, 1]
/// (Kingma & Welling 2014; Higgins et al. 2017):
///
///     encoder: x ↦ (μ, log σ²) ∈ ℝᴸ × ℝᴸ,   z = μ + σ ⊙ ε, ε ~ N(0, I)
///     decoder: z ↦ logits ℓ ∈ ℝᴰ, pixel means sigmoid(ℓ)
///     loss  = mean over the batch of  Σₚ BCE(ℓₚ, xₚ) + β·KL(N(μ, σ²) ‖ N(0, I))
///
/// with BCE(ℓ, x) = softplus(ℓ) − xℓ (the Bernoulli negative log-likelihood,
/// also used for grey levels) and KL = −½ Σ (1 + log σ² − μ² − σ²).
public struct VariationalAutoencoder: Sendable, Equatable, Codable {
  public var encoder: DenseNetwork
  public var decoder: DenseNetwork
  /// Weight β of the KL term (1: the ordinary VAE).
  public var beta: Double

  /// A VAE for `inputDimension` pixels with hidden widths `hidden` (mirrored
  /// in the decoder) and `latentDimension` latent coordinates.
  public init(inputDimension: Int, hidden: [Int], latentDimension: Int, beta: Double, activation: Activation = .silu) {
    precondition(latentDimension >= 1 && beta >= 0, "a VAE needs a latent dimension ≥ 1 and β ≥ 0")
    encoder = DenseNetwork(inputDimension: inputDimension, layerWidths: hidden + [2 * latentDimension], activation: activation)
    decoder = DenseNetwork(inputDimension: latentDimension, layerWidths: hidden.reversed() + [inputDimension], activation: activation)
    self.beta = beta
  }

  public var inputDimension: Int { encoder.inputDimension }
  public var latentDimension: Int { decoder.inputDimension }
  var encoderCount: Int { 2 * encoder.layerWidths.count }

  /// Seeded initial parameters: the encoder's (`encoder.` prefix), then the decoder's (`decoder.`).
  public func initialParameters<S: TensorScalar>(seed: UInt64, as: S.Type = S.self) -> ParameterSet<S> {
    var p = encoder.initialParameters(prefix: "encoder.", seed: seed, as: S.self)
    let d: ParameterSet<S> = decoder.initialParameters(prefix: "decoder.", seed: seed &+ 1)
    for (n, t) in zip(d.names, d.tensors) { p.append(n, t) }
    return p
  }

  /// The negative ELBO (β-weighted) of the batch `x` (rows×D, values in [0, 1])
  /// with the reparameterisation noise `noise` (rows×L, standard normal), per image.
  /// - Returns: (total, reconstruction, KL), each 1×1 and averaged over the rows.
  public func loss<S>(_ x: Variable<S>, noise: Variable<S>, parameters: [Variable<S>]) -> (total: Variable<S>, reconstruction: Variable<S>, kl: Variable<S>) {
    let L = latentDimension
    let stats = encoder.apply(x, parameters: parameters[..<encoderCount])
    let mean = stats.columns(0..<L), logVariance = stats.columns(L..<(2 * L))
    let z = mean + (logVariance * S(0.5)).exp() * noise
    let logits = decoder.apply(z, parameters: parameters[encoderCount...])
    let n = S(Swift.max(x.rows, 1))
    let reconstruction = (logits.softplus() - x * logits).sum() * (1 / n)
    let kl = (mean.squared() + logVariance.exp() - logVariance - 1).sum() * (S(0.5) / n)
    return (reconstruction + kl * S(beta), reconstruction, kl)
  }

  /// The latent means μ(x) (the deterministic encoding), rows×L.
  public func encode<S>(_ x: Tensor<S>, parameters: ParameterSet<S>) -> Tensor<S> {
    encoder(x, parameters: Array(parameters.tensors[..<encoderCount])).columns(0..<latentDimension)
  }

  /// The pixel means sigmoid(ℓ(z)) of latents `z`, rows×D, in [0, 1].
  public func decode<S>(_ z: Tensor<S>, parameters: ParameterSet<S>) -> Tensor<S> {
    decoder(z, parameters: Array(parameters.tensors[encoderCount...])).sigmoid()
  }

  /// Checks that `parameters` fit this architecture.
  public func validate<S>(_ parameters: ParameterSet<S>) -> String? {
    let names = encoder.parameterNames(prefix: "encoder.") + decoder.parameterNames(prefix: "decoder.")
    guard parameters.names == names else { return "parameter names \(parameters.names) do not match \(names)" }
    return encoder.validate(parameters, prefix: "encoder.") ?? decoder.validate(parameters, prefix: "decoder.")
  }
}

/// A dense softmax classifier: x ↦ logits ∈ ℝᴷ, trained with the mean cross-entropy.
public struct ImageClassifier: Sendable, Equatable, Codable {
  public var network: DenseNetwork

  public init(inputDimension: Int, hidden: [Int], classes: Int, activation: Activation = .silu) {
    precondition(classes >= 2, "a classifier needs at least two classes")
    network = DenseNetwork(inputDimension: inputDimension, layerWidths: hidden + [classes], activation: activation)
  }

  public var classCount: Int { network.outputDimension }

  public func initialParameters<S: TensorScalar>(seed: UInt64, as: S.Type = S.self) -> ParameterSet<S> {
    network.initialParameters(prefix: "classifier.", seed: seed)
  }

  /// Mean cross-entropy −log softmax(ℓ(x))_y over the batch.
  /// - Parameter oneHot: rows×K, a 1 at each row's class (a constant).
  public func loss<S>(_ x: Variable<S>, oneHot: Variable<S>, parameters: [Variable<S>]) -> Variable<S> {
    let logits = network.apply(x, parameters: parameters[...])
    return Self.crossEntropy(logits: logits, oneHot: oneHot)
  }

  /// Mean of log Σₖ e^{ℓₖ} − ℓ_y, with the row maximum subtracted first
  /// (a constant shift, so the value and gradient are unchanged but exp cannot overflow).
  public static func crossEntropy<S>(logits: Variable<S>, oneHot: Variable<S>) -> Variable<S> {
    let v = logits.value
    var shift = Tensor<S>.zeros(rows: v.rows, columns: 1)
    for r in 0..<v.rows { shift[r, 0] = v.row(r).max() ?? 0 }
    let z = logits - logits.tape.constant(shift)
    let logSumExp = z.exp().sum(alongAxis: 1).log()
    return (logSumExp - (z * oneHot).sum(alongAxis: 1)).mean()
  }

  /// The predicted class of each row of `x`.
  public func predict<S>(_ x: Tensor<S>, parameters: ParameterSet<S>) -> [Int] {
    let logits = network(x, parameters: parameters.tensors)
    return (0..<logits.rows).map { r in
      let row = logits.row(r)
      return row.indices.max { row[$0] < row[$1] }!
    }
  }

  public func validate<S>(_ parameters: ParameterSet<S>) -> String? {
    let names = network.parameterNames(prefix: "classifier.")
    guard parameters.names == names else { return "parameter names \(parameters.names) do not match \(names)" }
    return network.validate(parameters, prefix: "classifier.")
  }
}
