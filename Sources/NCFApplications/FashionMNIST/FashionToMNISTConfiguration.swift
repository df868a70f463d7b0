import Foundation
import NCFNetworks
import NCFFlows

/// The settings of the Fashion-MNIST → MNIST experiment (``FashionToMNISTPipeline``).
///
/// The defaults are sized for a loaded 2-core machine (the whole run well
/// under an hour): one shared dense β-VAE trained on a class-balanced
/// subsample of both training sets, a dense MNIST classifier on all of
/// MNIST's training set, and NCF in the VAE's latent space.
public struct FashionToMNISTConfiguration: Sendable, Equatable, Codable {
  // MARK: Latent space
  /// Latent dimension L of the VAE (the space NCF transports in).
  public var latentDimension = 16
  /// Hidden widths of the VAE's encoder (mirrored in the decoder).
  public var vaeHidden = [512, 256]
  /// KL weight β.
  public var beta = 1.0
  /// Training images per class and dataset for the VAE (both datasets: 20 × this).
  public var vaeImagesPerClass = 3000
  public var vaeTraining = ImageModelTraining(epochs: 10, batchSize: 128, learningRate: 1e-3, seed: 11)

  // MARK: Classifier
  /// Hidden widths of the MNIST classifier.
  public var classifierHidden = [256, 128]
  /// Training images per class for the classifier (6742 or more: all of MNIST's 60 000).
  public var classifierImagesPerClass = 6000
  public var classifierTraining = ImageModelTraining(epochs: 6, batchSize: 128, learningRate: 1e-3, seed: 12)

  // MARK: Transport
  /// Training latents per class and side for NCF.
  public var transportImagesPerClass = 3000
  /// The NCF settings (both the class-conditional and the unconditional run).
  public var ncf: NCFTrainingConfiguration = {
    var c = NCFTrainingConfiguration()
    c.iterations = 3000
    c.width = 128
    c.depth = 3
    c.energyBatch = 256  // per class when conditional
    c.collocationBatch = 2048
    c.validationInterval = 0
    c.validationSize = 2000
    c.logInterval = 100
    c.seed = 13
    return c
  }()
  /// Also train class-conditional NCF on latents with a class code appended
  /// (``LatentTransport/appendingClassCode(_:labels:classes:scale:)``) with
  /// this scale, a map that is told each test image's class; 0 turns it off.
  public var classCodeScale = 3.0
  /// Run the unconditional NCF baseline too.
  public var unconditionalBaseline = true
  /// Test images per class that are transported and scored (1000: all of them).
  public var testImagesPerClass = 1000
  /// Seed of the per-class discrete OT's target draw.
  public var seed: UInt64 = 14

  public init() {}

  /// The settings the cached VAE depends on (a cached file with other settings is retrained).
  var vaeFingerprint: String {
    "L=\(latentDimension) hidden=\(vaeHidden) beta=\(beta) perClass=\(vaeImagesPerClass) epochs=\(vaeTraining.epochs) batch=\(vaeTraining.batchSize) lr=\(vaeTraining.learningRate) seed=\(vaeTraining.seed)"
  }

  var classifierFingerprint: String {
    "hidden=\(classifierHidden) perClass=\(classifierImagesPerClass) epochs=\(classifierTraining.epochs) batch=\(classifierTraining.batchSize) lr=\(classifierTraining.learningRate) seed=\(classifierTraining.seed)"
  }

  /// Checks every setting; a one-line message naming the first bad one.
  public func validationError() -> String? {
    if latentDimension < 1 { return "latent dimension must be ≥ 1" }
    if vaeHidden.isEmpty || vaeHidden.contains(where: { $0 < 1 }) { return "VAE hidden widths must be ≥ 1" }
    if classifierHidden.isEmpty || classifierHidden.contains(where: { $0 < 1 }) { return "classifier hidden widths must be ≥ 1" }
    if !(beta >= 0) || !beta.isFinite { return "beta must be finite and ≥ 0" }
    for (name, t) in [("VAE", vaeTraining), ("classifier", classifierTraining)] {
      if t.epochs < 0 || t.batchSize < 1 || !(t.learningRate > 0) { return "\(name) training needs epochs ≥ 0, batch ≥ 1, learning rate > 0" }
    }
    if !(classCodeScale >= 0) || !classCodeScale.isFinite { return "class-code scale must be finite and ≥ 0" }
    if vaeImagesPerClass < 1 || classifierImagesPerClass < 1 || transportImagesPerClass < 2 || testImagesPerClass < 1 {
      return "images per class must be ≥ 1 (≥ 2 for transport)"
    }
    if transportImagesPerClass < testImagesPerClass {
      return "exact OT per class needs at least as many training images per class for transport as test images per class"
    }
    return ncf.validationError().map { "NCF: \($0)" }
  }
}
