import Testing
import Foundation
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTestSupport

/// The image models' losses: finite-difference gradient checks in Double on
/// tiny networks, and their values against direct formulas.
@Suite struct ImageModelTests {
  static func images(_ n: Int, _ d: Int, seed: UInt64) -> Tensor<Double> {
    var rng = SeededRandom(seed: seed)
    return Tensor.uniform(rows: n, columns: d, low: 0, high: 1, using: &rng)
  }

  /// The reparameterised β-ELBO: gradient with respect to every weight and
  /// to the images, for the activations the models may use.
  @Test(arguments: [Activation.silu, .tanh, .softplus(beta: 2)])
  func vaeLossGradientMatchesFiniteDifferences(_ activation: Activation) {
    let vae = VariationalAutoencoder(inputDimension: 6, hidden: [5, 4], latentDimension: 3, beta: 0.7, activation: activation)
    let params: ParameterSet<Double> = vae.initialParameters(seed: 3)
    let x = Self.images(4, 6, seed: 1)
    var rng = SeededRandom(seed: 2)
    let noise = Tensor<Double>.normal(rows: 4, columns: 3, using: &rng)
    let report = GradientCheck.check(at: params.tensors + [x]) { tape, vars in
      vae.loss(vars.last!, noise: tape.constant(noise), parameters: Array(vars.dropLast())).total
    }
    #expect(report.maxRelativeError < 1e-6, "\(report)")
  }

  /// The loss value against a direct computation of BCE + β·KL.
  @Test func vaeLossValueMatchesTheFormula() {
    let vae = VariationalAutoencoder(inputDimension: 5, hidden: [4], latentDimension: 2, beta: 2)
    let params: ParameterSet<Double> = vae.initialParameters(seed: 5)
    let x = Self.images(3, 5, seed: 6)
    var rng = SeededRandom(seed: 7)
    let noise = Tensor<Double>.normal(rows: 3, columns: 2, using: &rng)
    let tape = Tape<Double>()
    let (total, rec, kl) = vae.loss(tape.constant(x), noise: tape.constant(noise), parameters: params.constants(on: tape))
    // By hand: encoder stats, sample, decoder logits.
    let stats = vae.encoder(x, parameters: Array(params.tensors[0..<4]))
    var expectedRec = 0.0, expectedKL = 0.0
    var z = Tensor<Double>.zeros(rows: 3, columns: 2)
    for r in 0..<3 {
      for j in 0..<2 {
        let m = stats[r, j], lv = stats[r, 2 + j]
        z[r, j] = m + Foundation.exp(0.5 * lv) * noise[r, j]
        expectedKL += -0.5 * (1 + lv - m * m - Foundation.exp(lv))
      }
    }
    let logits = vae.decoder(z, parameters: Array(params.tensors[4...]))
    for r in 0..<3 {
      for p in 0..<5 {
        let l = logits[r, p]
        expectedRec += Foundation.log(1 + Foundation.exp(l)) - x[r, p] * l
      }
    }
    #expect(abs(rec.value.scalar - expectedRec / 3) < 1e-12)
    #expect(abs(kl.value.scalar - expectedKL / 3) < 1e-12)
    #expect(abs(total.value.scalar - (expectedRec + 2 * expectedKL) / 3) < 1e-12)
    // Decoding gives pixel means in (0, 1); encoding gives the first L statistics.
    let decoded = vae.decode(z, parameters: params)
    #expect(decoded.scalars.allSatisfy { $0 > 0 && $0 < 1 })
    #expect(vae.encode(x, parameters: params) == stats.columns(0..<2))
    #expect(vae.validate(params) == nil)
  }

  @Test func classifierLossGradientMatchesFiniteDifferences() {
    let classifier = ImageClassifier(inputDimension: 7, hidden: [6, 5], classes: 4)
    let params: ParameterSet<Double> = classifier.initialParameters(seed: 8)
    let x = Self.images(5, 7, seed: 9)
    let labels = [0, 3, 1, 1, 2]
    var oneHot = Tensor<Double>.zeros(rows: 5, columns: 4)
    for (r, l) in labels.enumerated() { oneHot[r, l] = 1 }
    let report = GradientCheck.check(at: params.tensors + [x]) { tape, vars in
      classifier.loss(vars.last!, oneHot: tape.constant(oneHot), parameters: Array(vars.dropLast()))
    }
    #expect(report.maxRelativeError < 1e-6, "\(report)")
  }

  /// Cross-entropy is shift-safe: huge logits give the exact value, not ∞.
  @Test func crossEntropyValueAndOverflow() {
    let tape = Tape<Double>()
    let logits = tape.constant(Tensor([[1000, 1001, 999], [0, 0, 0]]))
    let oneHot = tape.constant(Tensor([[0, 1, 0], [1, 0, 0]]))
    let value = ImageClassifier.crossEntropy(logits: logits, oneHot: oneHot).value.scalar
    let first: Double = Foundation.log(Foundation.exp(-1.0) + 1 + Foundation.exp(-2.0))
    #expect(abs(value - (first + Foundation.log(3.0)) / 2) < 1e-12)
  }
}
