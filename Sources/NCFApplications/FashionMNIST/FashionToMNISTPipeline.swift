import Foundation
import NCFTensor
import NCFNetworks
import NCFTransport
import NCFFlows
import NCFData

/// The paper's third experiment end to end: class-conditional transport from
/// Fashion-MNIST to MNIST (class k → digit k) in a β-VAE's latent space.
///
/// 1. Read both datasets (``LabelledImages``) from `dataFolder`
///    (`fashion-mnist/` and `mnist/`, see scripts/fetch-mnist-data.sh).
/// 2. The latent space: one dense β-VAE shared by both datasets; the
///    MNIST classifier that scores label accuracy. Both are cached in
///    `cacheFolder` (retrained when their settings change).
/// 3. Encode (latent means) the training subsamples and the test images;
///    train NCF from Fashion-MNIST latents to MNIST latents, class-conditional
///    and (baseline) unconditional; exact OT per class on the same latents.
/// 4. Decode the transported test latents and score them (``FashionToMNISTReport``).
public struct FashionToMNISTPipeline: Sendable {
  public var configuration: FashionToMNISTConfiguration

  public init(configuration: FashionToMNISTConfiguration = .init()) {
    self.configuration = configuration
  }

  /// The images of both datasets.
  public struct Data: Sendable {
    public var fashionTrain, fashionTest, mnistTrain, mnistTest: LabelledImages

    public init(fashionTrain: LabelledImages, fashionTest: LabelledImages, mnistTrain: LabelledImages, mnistTest: LabelledImages) {
      self.fashionTrain = fashionTrain
      self.fashionTest = fashionTest
      self.mnistTrain = mnistTrain
      self.mnistTest = mnistTest
    }

    /// Reads `<folder>/fashion-mnist` and `<folder>/mnist`.
    /// - Throws: ``DataError`` naming the file, or ``FashionToMNISTError/sizeMismatch(_:)``.
    public static func read(folder: String) throws -> Data {
      let data = Data(
        fashionTrain: try LabelledImages.read(folder: folder + "/fashion-mnist", split: .train),
        fashionTest: try LabelledImages.read(folder: folder + "/fashion-mnist", split: .test),
        mnistTrain: try LabelledImages.read(folder: folder + "/mnist", split: .train),
        mnistTest: try LabelledImages.read(folder: folder + "/mnist", split: .test))
      let sides = Set([data.fashionTrain.side, data.fashionTest.side, data.mnistTrain.side, data.mnistTest.side])
      guard sides.count == 1 else { throw FashionToMNISTError.sizeMismatch("image sides differ: \(sides.sorted())") }
      return data
    }
  }

  /// A trained image model and whether it came from the cache.
  public struct Trained<Model: Sendable>: Sendable {
    public var model: Model
    public var parameters: ParameterSet<Float>
    public var fromCache: Bool
    public var seconds: Double
  }

  /// The VAE: loaded from `cacheFolder/vae.ncfw` when it was trained with
  /// these settings, otherwise trained (on `vaeImagesPerClass` images of each
  /// class of both training sets) and saved there.
  public func latentSpace(_ data: Data, cacheFolder: String?, log: ((String) -> Void)? = nil) throws -> Trained<VariationalAutoencoder> {
    let c = configuration
    let vae = VariationalAutoencoder(inputDimension: data.mnistTrain.side * data.mnistTrain.side, hidden: c.vaeHidden,
                                     latentDimension: c.latentDimension, beta: c.beta)
    return try cached(kind: "vae", file: "vae.ncfw", model: vae, fingerprint: c.vaeFingerprint, cacheFolder: cacheFolder, log: log) {
      let images = Tensor.concatenatingRows([data.fashionTrain.firstOfEachClass(c.vaeImagesPerClass).pixels,
                                             data.mnistTrain.firstOfEachClass(c.vaeImagesPerClass).pixels])
      log?("training the VAE on \(images.rows) images (\(c.vaeTraining.epochs) epochs)")
      return try c.vaeTraining.train(vae, on: images) { p in
        log?("  VAE epoch \(p.epoch)/\(c.vaeTraining.epochs), step \(p.step)/\(p.steps): loss \(NumberFormat.fixed(p.meanLoss, 2))")
      }
    }
  }

  /// The MNIST classifier, cached like the VAE in `cacheFolder/classifier.ncfw`.
  public func classifier(_ data: Data, cacheFolder: String?, log: ((String) -> Void)? = nil) throws -> Trained<ImageClassifier> {
    let c = configuration
    let classifier = ImageClassifier(inputDimension: data.mnistTrain.side * data.mnistTrain.side, hidden: c.classifierHidden, classes: 10)
    return try cached(kind: "classifier", file: "classifier.ncfw", model: classifier, fingerprint: c.classifierFingerprint,
                      cacheFolder: cacheFolder, log: log) {
      let train = data.mnistTrain.firstOfEachClass(c.classifierImagesPerClass)
      log?("training the MNIST classifier on \(train.count) images (\(c.classifierTraining.epochs) epochs)")
      return try c.classifierTraining.train(classifier, on: train.pixels, labels: train.labels) { p in
        log?("  classifier epoch \(p.epoch)/\(c.classifierTraining.epochs), step \(p.step)/\(p.steps): loss \(NumberFormat.fixed(p.meanLoss, 4))")
      }
    }
  }

  private func cached<Model: WeightsFile.Storable & Sendable>(
    kind: String, file: String, model: Model, fingerprint: String, cacheFolder: String?, log: ((String) -> Void)?,
    train: () throws -> ParameterSet<Float>
  ) throws -> Trained<Model> {
    let start = Date()
    let path = cacheFolder.map { $0 + "/" + file }
    if let path, FileManager.default.fileExists(atPath: path) {
      do {
        let stored = try WeightsFile.load(kind: kind, as: Model.self, from: path)
        if stored.notes["settings"] == fingerprint {
          log?("\(kind): using the cached \(path)")
          return Trained(model: stored.model, parameters: stored.parameters, fromCache: true, seconds: Date().timeIntervalSince(start))
        }
        log?("\(kind): \(path) was trained with other settings; retraining")
      } catch {
        log?("\(kind): cannot use \(path) (\(error)); retraining")
      }
    }
    let parameters = try train()
    if let path, let folder = cacheFolder {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try WeightsFile.save(kind: kind, model: model, parameters: parameters, notes: ["settings": fingerprint], to: path)
      log?("\(kind): saved to \(path)")
    }
    return Trained(model: model, parameters: parameters, fromCache: false, seconds: Date().timeIntervalSince(start))
  }

  /// Runs the whole experiment.
  /// - Parameters:
  ///   - cacheFolder: where the VAE and classifier are cached (nil: no cache).
  ///   - log: progress lines (stages, training losses).
  /// - Throws: ``FashionToMNISTError``, ``DataError``, ``NCFSolverError``, ``DiscreteOTError``, ``ModelFileError``.
  public func run(data: Data, cacheFolder: String?, log: ((String) -> Void)? = nil) throws -> FashionToMNISTRun {
    let c = configuration
    if let problem = c.validationError() { throw FashionToMNISTError.invalidSettings(problem) }
    let start = Date()
    var seconds: [String: Double] = [:]
    func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
      let t0 = Date()
      defer { seconds[stage] = Date().timeIntervalSince(t0) }
      return try body()
    }

    let vae = try latentSpace(data, cacheFolder: cacheFolder, log: log)
    seconds["vae"] = vae.seconds
    let classifier = try self.classifier(data, cacheFolder: cacheFolder, log: log)
    seconds["classifier"] = classifier.seconds

    log?("encoding")
    let side = data.mnistTest.side
    let fashionTrain = data.fashionTrain.firstOfEachClass(c.transportImagesPerClass)
    let mnistTrain = data.mnistTrain.firstOfEachClass(c.transportImagesPerClass)
    let fashionTest = data.fashionTest.firstOfEachClass(c.testImagesPerClass)
    let (source, target, testLatents) = timed("encode") {
      (vae.model.encode(fashionTrain.pixels, parameters: vae.parameters).converted(to: Double.self),
       vae.model.encode(mnistTrain.pixels, parameters: vae.parameters).converted(to: Double.self),
       vae.model.encode(fashionTest.pixels, parameters: vae.parameters).converted(to: Double.self))
    }
    // Exact OT per class matches each class's test latents one to one with training latents of the same digit.
    for k in Set(fashionTest.labels).sorted() {
      let (tests, pool) = (fashionTest.labels.filter { $0 == k }.count, mnistTrain.labels.filter { $0 == k }.count)
      guard pool >= tests else {
        throw FashionToMNISTError.sizeMismatch("class \(k) has \(tests) test images to transport but only \(pool) MNIST training images")
      }
    }
    func decode(_ z: Tensor<Double>) -> Tensor<Float> { vae.model.decode(z.converted(to: Float.self), parameters: vae.parameters) }

    var methods: [FashionToMNISTRun.Method] = []
    /// NCF from `from` to `to` (training latents, coded or not); pushes `test` and keeps the first L columns.
    func ncf(_ name: String, stage: String, conditional: Bool, from: Tensor<Double>, to: Tensor<Double>, test: Tensor<Double>,
             note: String) throws -> FashionToMNISTRun.Method {
      log?("training \(name) on \(from.rows) → \(to.rows) points in \(from.columns) dimensions (\(c.ncf.iterations) steps)")
      let output = try timed(stage) {
        try LatentTransport.trainNCF(source: from, sourceLabels: fashionTrain.labels, target: to, targetLabels: mnistTrain.labels,
                                     conditional: conditional, settings: c.ncf) { p in
          log?("  \(name) step \(p.step)/\(p.iterations): HJ \(NumberFormat.sci(p.hjLoss)), energy \(NumberFormat.sci(p.energyDistance))")
          return true
        }
      }
      let mapped = output.model.forward(test).columns(0..<c.latentDimension)
      guard mapped.isFinite else { throw FashionToMNISTError.nonFiniteMap(name) }
      return .init(name: name, images: decode(mapped), note: note + "; \(output.steps) steps, \(NumberFormat.fixed(output.seconds, 0)) s")
    }
    methods.append(try ncf("NCF, class-conditional", stage: "ncf-conditional", conditional: true, from: source, to: target,
                           test: testLatents, note: "labels in training only (the paper's setting)"))
    if c.classCodeScale > 0 {
      func coded(_ x: Tensor<Double>, _ labels: [Int]) -> Tensor<Double> {
        LatentTransport.appendingClassCode(x, labels: labels, classes: 10, scale: c.classCodeScale)
      }
      methods.append(try ncf("NCF, class-conditional + class code", stage: "ncf-coded", conditional: true,
                             from: coded(source, fashionTrain.labels), to: coded(target, mnistTrain.labels),
                             test: coded(testLatents, fashionTest.labels),
                             note: "class code (scale \(NumberFormat.shortest(c.classCodeScale))) appended: the map is told each test image's class"))
    }
    if c.unconditionalBaseline {
      methods.append(try ncf("NCF, unconditional", stage: "ncf-unconditional", conditional: false, from: source, to: target,
                             test: testLatents, note: "labels ignored"))
    }

    log?("exact OT per class (network simplex, \(c.testImagesPerClass) × \(c.testImagesPerClass) per class)")
    let assignment = try timed("discrete-ot") {
      try LatentTransport.classwiseAssignment(source: testLatents, sourceLabels: fashionTest.labels, target: target,
                                              targetLabels: mnistTrain.labels, seed: c.seed)
    }
    methods.append(.init(name: "exact OT per class", images: decode(target.gathering(rows: assignment)),
                         note: "test latents matched to MNIST training latents of the same class"))

    let mnistTest = data.mnistTest
    let reconstructions = decode(vae.model.encode(mnistTest.pixels, parameters: vae.parameters).converted(to: Double.self))
    log?("scoring")
    let scored = try timed("scoring") {
      try FashionToMNISTRun.score(methods: methods, expected: fashionTest.labels, source: fashionTest.pixels, mnistTest: mnistTest,
                                  reconstructions: reconstructions, classifier: classifier, side: side)
    }
    seconds["total"] = Date().timeIntervalSince(start)
    return FashionToMNISTRun(
      configuration: c, scores: scored.rows, classifierTestAccuracy: scored.classifierAccuracy,
      reconstructionFrechetDistance: scored.reconstructionDistance, seconds: seconds,
      vaeCached: vae.fromCache, classifierCached: classifier.fromCache,
      sizes: .init(vaeTraining: data.fashionTrain.countOfFirstOfEachClass(c.vaeImagesPerClass) + data.mnistTrain.countOfFirstOfEachClass(c.vaeImagesPerClass),
                   classifierTraining: data.mnistTrain.countOfFirstOfEachClass(c.classifierImagesPerClass),
                   transportTraining: source.rows, test: fashionTest.count, mnistTest: mnistTest.count),
      sourceImages: fashionTest, transported: methods.first!.images)
  }
}

public enum FashionToMNISTError: Error, Equatable, CustomStringConvertible {
  case invalidSettings(String)
  case sizeMismatch(String)
  case nonFiniteMap(String)

  public var description: String {
    switch self {
    case .invalidSettings(let m): return "invalid settings: \(m)"
    case .sizeMismatch(let m): return "the datasets do not fit together: \(m)"
    case .nonFiniteMap(let name): return "\(name) mapped a test latent to NaN or infinity"
    }
  }
}
