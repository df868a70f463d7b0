import ArgumentParser
import Foundation
import NCFTensor
import NCFApplications

extension Bench {
  struct FashionMNIST: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fmnist-mnist",
      abstract: "The paper's third experiment: class-conditional Fashion-MNIST → MNIST in a β-VAE latent space.",
      discussion: """
        Trains (or loads from the cache) a dense β-VAE shared by both datasets and an MNIST classifier, \
        encodes the images, trains class-conditional NCF (class k → digit k; labels in training only, the \
        paper's setting), the same with a class code appended to the latents (a map told each image's class), \
        and, as baselines, unconditional NCF and exact OT per class, decodes the transported Fashion-MNIST test images and scores them: label \
        accuracy with the classifier, and GNOT's pixel Fréchet distance (32×32, [0, 1]) against the MNIST test \
        images and against their VAE reconstructions. Writes OUT.md, OUT.json and OUT.png (for each class, \
        source images and their transported images).

        Fetch the data first: scripts/fetch-mnist-data.sh (nothing is downloaded at run time).
        Example: ncf bench fmnist-mnist --data data/fmnist-mnist --out results/fmnist-mnist/fmnist-mnist
        """)

    private static let defaults = FashionToMNISTConfiguration()
    @Option(help: "Folder with fashion-mnist/ and mnist/ (from scripts/fetch-mnist-data.sh).") var data = "data/fmnist-mnist"
    @Option(help: "Folder caching the trained VAE and classifier (default: DATA/cache).") var cache: String?
    @Flag(name: .customLong("no-cache"), help: "Train the VAE and classifier afresh and do not save them.") var noCache = false
    @Option(help: "Output prefix for the .md, .json and .png files.") var out = "results/fmnist-mnist/fmnist-mnist"
    @Option(help: "NCF steps (each of the two NCF runs).") var iterations = defaults.ncf.iterations
    @Option(help: "Latent dimension of the VAE.") var latent = defaults.latentDimension
    @Option(help: "KL weight β of the VAE.") var beta = defaults.beta
    @Option(name: .customLong("vae-epochs"), help: "VAE training epochs.") var vaeEpochs = defaults.vaeTraining.epochs
    @Option(name: .customLong("vae-per-class"), help: "VAE training images per class and dataset.") var vaePerClass = defaults.vaeImagesPerClass
    @Option(name: .customLong("classifier-epochs"), help: "Classifier training epochs.") var classifierEpochs = defaults.classifierTraining.epochs
    @Option(name: .customLong("transport-per-class"), help: "Training latents per class and side for transport.")
    var transportPerClass = defaults.transportImagesPerClass
    @Option(name: .customLong("test-per-class"), help: "Fashion-MNIST test images per class to transport and score (1000: all).")
    var testPerClass = defaults.testImagesPerClass
    @Option(name: .customLong("class-code-scale"), help: "Scale of the class code appended for the 'class code' NCF row (0: skip that row).")
    var classCodeScale = defaults.classCodeScale
    @Flag(name: .customLong("no-unconditional"), help: "Skip the unconditional NCF baseline.") var noUnconditional = false

    func run() throws {
      var c = FashionToMNISTConfiguration()
      c.ncf.iterations = iterations
      c.latentDimension = latent
      c.beta = beta
      c.vaeTraining.epochs = vaeEpochs
      c.vaeImagesPerClass = vaePerClass
      c.classifierTraining.epochs = classifierEpochs
      c.transportImagesPerClass = transportPerClass
      c.testImagesPerClass = testPerClass
      c.unconditionalBaseline = !noUnconditional
      c.classCodeScale = classCodeScale
      if let problem = c.validationError() { throw ValidationError(problem) }
      func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
      let start = Date()
      log("reading \(data)")
      let images: FashionToMNISTPipeline.Data
      do {
        images = try FashionToMNISTPipeline.Data.read(folder: data)
      } catch {
        throw CLIError("\(error); fetch the data with scripts/fetch-mnist-data.sh")
      }
      let result = try FashionToMNISTPipeline(configuration: c).run(data: images, cacheFolder: noCache ? nil : (cache ?? data + "/cache"), log: log)
      let folder = (out as NSString).deletingLastPathComponent
      if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
      try Files.writeText(result.markdown, to: out + ".md")
      try Files.writeText(try result.json() + "\n", to: out + ".json")
      try result.grid().write(toFile: out + ".png")
      print(result.markdown)
      print("wrote \(out).md, \(out).json and \(out).png (\(NumberFormat.fixed(Date().timeIntervalSince(start), 0)) s)")
    }
  }
}
