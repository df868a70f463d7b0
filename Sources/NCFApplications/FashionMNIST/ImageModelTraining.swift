import Foundation
import NCFTensor
import NCFAutodiff
import NCFNetworks

/// Minibatch Adam training of the image models (``VariationalAutoencoder``,
/// ``ImageClassifier``) in Float, with a cosine learning-rate decay.
public struct ImageModelTraining: Sendable, Equatable, Codable {
  /// Passes over the training images.
  public var epochs: Int
  /// Images per step.
  public var batchSize: Int
  /// Peak learning rate (cosine decay to 5 % of it, 1 % warm-up).
  public var learningRate: Double
  public var seed: UInt64

  public init(epochs: Int, batchSize: Int = 128, learningRate: Double = 1e-3, seed: UInt64 = 0) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.seed = seed
  }

  /// Progress of a training run: epoch (1-based), step and steps in all, mean loss of the epoch so far.
  public struct Progress: Sendable {
    public var epoch: Int
    public var step: Int
    public var steps: Int
    public var meanLoss: Double
  }

  /// Runs `epochs` passes over `count` rows in reshuffled minibatches; `loss`
  /// builds the loss of the given rows on a tape from the parameter variables.
  /// `progress` is called about every 2 % of the steps and at the end of each epoch.
  /// - Throws: ``ImageTrainingError/nonFiniteLoss(step:)`` when a loss is NaN or ∞.
  func run(
    count: Int, parameters: inout ParameterSet<Float>, progress: ((Progress) -> Void)?,
    loss: (_ tape: Tape<Float>, _ rows: [Int], _ parameters: [Variable<Float>], _ rng: inout SeededRandom) -> Variable<Float>
  ) throws {
    precondition(epochs >= 0 && batchSize >= 1 && count >= 1, "training needs epochs ≥ 0, a batch ≥ 1 and data")
    var rng = SeededRandom(seed: seed)
    var noiseRNG = rng.split(stream: 1)
    let perEpoch = max(1, count / batchSize)  // the last partial batch is dropped
    let steps = epochs * perEpoch
    let schedule = LearningRateSchedule.cosine(totalSteps: steps, warmup: steps / 100, finalFraction: 0.05)
    var adam = Adam<Float>()
    let every = max(1, steps / 50)
    var step = 0
    guard epochs > 0 else { return }
    for epoch in 1...epochs {
      let order = rng.permutation(count)
      var sum = 0.0
      for b in 0..<perEpoch {
        let rows = Array(order[(b * batchSize)..<min(count, (b + 1) * batchSize)])
        let tape = Tape<Float>()
        let vars = parameters.variables(on: tape)
        let value = loss(tape, rows, vars, &noiseRNG)
        let l = Double(value.value.scalar)
        guard l.isFinite else { throw ImageTrainingError.nonFiniteLoss(step: step) }
        let grads = tape.gradients(of: value, withRespectTo: vars)
        adam.update(&parameters, gradients: grads, learningRate: schedule.rate(at: step, base: learningRate))
        sum += l
        step += 1
        if step % every == 0 || b == perEpoch - 1 {
          progress?(Progress(epoch: epoch, step: step, steps: steps, meanLoss: sum / Double(b + 1)))
        }
      }
    }
  }

  /// Trains `vae` on the rows of `images` (values in [0, 1]) from seeded initial weights.
  public func train(_ vae: VariationalAutoencoder, on images: Tensor<Float>, progress: ((Progress) -> Void)? = nil) throws -> ParameterSet<Float> {
    var parameters: ParameterSet<Float> = vae.initialParameters(seed: seed)
    try run(count: images.rows, parameters: &parameters, progress: progress) { tape, rows, vars, rng in
      let noise = Tensor<Float>.normal(rows: rows.count, columns: vae.latentDimension, using: &rng)
      return vae.loss(tape.constant(images.gathering(rows: rows)), noise: tape.constant(noise), parameters: vars).total
    }
    return parameters
  }

  /// Trains `classifier` on `images` with their `labels` (0..<classCount).
  public func train(_ classifier: ImageClassifier, on images: Tensor<Float>, labels: [Int], progress: ((Progress) -> Void)? = nil) throws -> ParameterSet<Float> {
    precondition(labels.count == images.rows && labels.allSatisfy { (0..<classifier.classCount).contains($0) }, "one valid label per image")
    var parameters: ParameterSet<Float> = classifier.initialParameters(seed: seed)
    try run(count: images.rows, parameters: &parameters, progress: progress) { tape, rows, vars, _ in
      var oneHot = Tensor<Float>.zeros(rows: rows.count, columns: classifier.classCount)
      for (r, i) in rows.enumerated() { oneHot[r, labels[i]] = 1 }
      return classifier.loss(tape.constant(images.gathering(rows: rows)), oneHot: tape.constant(oneHot), parameters: vars)
    }
    return parameters
  }
}

public enum ImageTrainingError: Error, Equatable, CustomStringConvertible {
  case nonFiniteLoss(step: Int)
  public var description: String {
    switch self {
    case .nonFiniteLoss(let s): return "image-model training diverged: non-finite loss at step \(s); lower the learning rate"
    }
  }
}
