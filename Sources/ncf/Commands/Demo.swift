import ArgumentParser
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows
import NCFFigures

extension NCFCommand {
  struct Demo: ParsableCommand {
    /// Demo-sized training (the library defaults are sized for real problems).
    static let defaultIterations = 1000
    static let defaultBatch = 512

    static let configuration = CommandConfiguration(
      abstract: "Train on a built-in 2-D problem and write a model, a figure and a report.",
      discussion: """
        Learns the optimal transport map from --dataset to --target-dataset (fresh
        samples every step), then writes to the --out directory:
          model.ncf     the trained model (use it with ncf map / eval / plot)
          figure.svg    the data, T♯source over the target, S♯target over the
                        source, straight characteristics x → T(x), loss curves
          report.md     settings, time, held-out certificate and test metrics
          report.json   the same, machine-readable
        Each file is written atomically. The default run takes well under a minute
        on two cores. Ctrl-C stops training early and still writes the files
        (exit status 130).

        Examples:
          ncf demo
          ncf demo --dataset moons --target-dataset circles --out moons-demo
          ncf demo --dataset gaussian-benchmark-2 --iterations 3000
        """)

    @Option(help: ArgumentHelp("Source distribution (see ncf datasets).", valueName: "name"))
    var dataset = "gaussian"
    @Option(name: .customLong("target-dataset"), help: ArgumentHelp(
      "Target distribution (default: 8gaussians; the pair's target for gaussian-benchmark-2).", valueName: "name"))
    var targetDataset: String?
    @Option(help: ArgumentHelp("Output directory (created if missing).", valueName: "dir")) var out = "ncf-demo"
    @Option(help: ArgumentHelp("Adam steps.", valueName: "n")) var iterations = Demo.defaultIterations
    @Option(name: .customLong("batch-size"), help: ArgumentHelp(
      "Source and target points per step (energy term) and collocation points per step (HJ term).", valueName: "n"))
    var batchSize = Demo.defaultBatch
    @Option(help: ArgumentHelp("Test points per side for the figure and the report's metrics.", valueName: "n"))
    var points = 2000
    @Option(help: ArgumentHelp("Characteristics drawn in the figure.", valueName: "n")) var segments = 300
    @Option(help: "Random seed (training and test samples).") var seed: UInt64 = 0
    @Option(name: .customLong("backward-lambda"), help: ArgumentHelp(
      "Weight of a second energy term that fits the backward map too (see ncf train --help; default: 0).", valueName: "w"))
    var backwardLambda = 0.0
    @Option(help: ArgumentHelp("BLAS threads (default: 1; the demo's small matrices gain nothing from more).",
                               valueName: "n"))
    var threads = 1
    @OptionGroup(title: "Progress") var progress: ProgressOptions

    func validate() throws {
      if iterations < 1 { throw ValidationError("--iterations must be at least 1") }
      if batchSize < 2 { throw ValidationError("--batch-size must be at least 2") }
      if points < 2 { throw ValidationError("--points must be at least 2") }
      if segments < 0 { throw ValidationError("--segments must be ≥ 0") }
      if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    struct Report: Codable {
      struct Settings: Codable {
        var dataset: String
        var targetDataset: String
        var seed: UInt64
        var testPoints: Int
        var cost: String
        var configuration: NCFTrainingConfiguration
      }
      struct Training: Codable {
        var steps: Int
        var seconds: Double
        var interrupted: Bool
        var parameters: Int
      }
      var settings: Settings
      var training: Training
      var certificate: CertificateSummary?
      /// Metrics on fresh test samples.
      var test: Evaluation
      var files: [String]
    }

    func run() throws {
      let sourceSpec = try DatasetSpec(parsing: dataset)
      let targetSpec: DatasetSpec
      if let targetDataset {
        targetSpec = try DatasetSpec(parsing: targetDataset)
      } else if case .gaussianBenchmark(let d, _) = sourceSpec {
        targetSpec = .gaussianBenchmark(dimension: d, side: .target)
      } else {
        targetSpec = .toy(.eightGaussians)
      }
      for spec in [sourceSpec, targetSpec] where spec.dimension != 2 {
        throw CLIError("dataset '\(spec)' is \(spec.dimension)-D; the demo draws 2-D problems (use gaussian-benchmark-2, or ncf bench gaussian for other dimensions)")
      }
      // The Gaussian scores need both sides from the same benchmark pair.
      var gaussian: (dimension: Int, pair: GaussianOT)? = nil
      if case .gaussianBenchmark(let d, let s) = sourceSpec, case .gaussianBenchmark(let e, let t) = targetSpec,
         d == e, (s ?? .source) == .source, (t ?? .target) == .target, let pair = try sourceSpec.pair() {
        gaussian = (d, pair)
      }

      let directory = try prepareDirectory()
      let paths = (model: directory.path + "/model.ncf", figure: directory.path + "/figure.svg",
                   markdown: directory.path + "/report.md", json: directory.path + "/report.json")
      var wroteSomething = false
      defer {
        // A failed run leaves no half-filled directory that it created itself.
        if !wroteSomething && directory.created { try? FileManager.default.removeItem(atPath: directory.path) }
      }
      if let log = progress.log { try Files.checkWritable(log) }

      var config = NCFTrainingConfiguration()
      config.iterations = iterations
      config.energyBatch = batchSize
      config.collocationBatch = batchSize
      config.seed = seed
      config.backwardLambda = backwardLambda
      config.logInterval = max(1, iterations / 100)
      config.validationInterval = max(1, iterations / 5)
      config.validationSize = 1000
      if let message = config.validationError() { throw CLIError("invalid training settings: \(message)") }

      let problem = NCFProblem(
        source: .sampler(dimension: 2, try sourceSpec.sampler(defaultSide: .source)),
        target: .sampler(dimension: 2, try targetSpec.sampler(defaultSide: .target)))
      BLASThreads.set(threads)
      if !progress.quiet {
        FileHandle.standardError.write(Data("ncf demo: \(sourceSpec) → \(targetSpec), \(iterations) steps, batch \(batchSize)\n".utf8))
      }
      let result: NCFTrainingResult
      do {
        result = try TrainingRun.train(NCFTrainer(configuration: config), problem, options: progress)
      } catch NCFTrainingError.nonFiniteLoss(let step, let hj, let energy, _) {
        throw CLIError("training failed: the loss became non-finite at step \(step) (HJ \(hj), energy \(energy)); nothing was written — try another --seed or fewer --iterations")
      }
      let interrupted = result.stoppedEarly && TrainingRun.interrupted
      let model = result.model

      // Fresh test samples (other seeds than any training batch).
      let testSource = try sourceSpec.sample(n: points, seed: seed &+ 0x7E57_0001, defaultSide: .source)
      let testTarget = try targetSpec.sample(n: points, seed: seed &+ 0x7E57_0002, defaultSide: .target)
      let evaluation = Evaluation.compute(model: model, source: testSource, target: testTarget, maxPoints: points,
                                          seed: seed, gaussian: gaussian)
      let figure = TransportFigure.make(
        model: model, source: testSource, target: testTarget, history: result.history.map(LossPoint.init),
        segments: segments, title: "NCF: \(sourceSpec) → \(targetSpec) (\(result.steps) steps, \(Text.seconds(result.seconds)))")

      let report = Report(
        settings: .init(dataset: "\(sourceSpec)", targetDataset: "\(targetSpec)", seed: seed, testPoints: points,
                        cost: "quadratic", configuration: config),
        training: .init(steps: result.steps, seconds: result.seconds, interrupted: interrupted,
                        parameters: model.network.parameterCount),
        certificate: model.certificate.map(CertificateSummary.init), test: evaluation,
        files: ["model.ncf", "figure.svg", "report.md", "report.json"])

      wroteSomething = true
      try ModelFile.save(model, to: paths.model)
      try figure.write(to: paths.figure)
      try Files.writeText(markdown(report), to: paths.markdown)
      try Files.writeText(try JSONOutput.string(report) + "\n", to: paths.json)

      print("\(interrupted ? "stopped after" : "trained") \(result.steps) of \(iterations) steps in \(Text.seconds(result.seconds))")
      evaluation.lines.forEach { print($0) }
      print("wrote \(paths.model)")
      print("      \(paths.figure)   (open it in a web browser)")
      print("      \(paths.markdown)")
      print("      \(paths.json)")
      if interrupted { throw ExitCode(TrainingRun.interruptedExitCode) }
    }

    /// Creates the output directory if needed and checks it can be written.
    private func prepareDirectory() throws -> (path: String, created: Bool) {
      let path = out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw CLIError("\(path): exists and is not a directory (--out names the output directory)") }
        if access(path, W_OK) != 0 {
          throw CLIError("\(path): directory is not writable (\(String(cString: strerror(errno))))")
        }
        return (path, false)
      }
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        throw CLIError("\(path): cannot create the output directory (\(error.localizedDescription))")
      }
      return (path, true)
    }

    private func markdown(_ r: Report) -> String {
      let c = r.settings.configuration
      var s = """
        # NCF demo: \(r.settings.dataset) → \(r.settings.targetDataset)

        ![figure](figure.svg)

        ## Settings

        | setting | value |
        |---|---|
        | source | \(r.settings.dataset) (fresh samples every step) |
        | target | \(r.settings.targetDataset) |
        | cost | quadratic, c(x, y) = ½‖x − y‖² |
        | network | \(c.width)×\(c.depth) \(c.activation)\(c.residual ? ", residual" : "")\(c.quadraticHead ? ", quadratic head" : ""), \(r.training.parameters) parameters |
        | steps | \(r.training.steps) of \(c.iterations)\(r.training.interrupted ? " (interrupted)" : "") |
        | batch | \(c.energyBatch) (energy), \(c.collocationBatch) (collocation) |
        | learning rate | \(c.learningRate.formatted), \(c.schedule.rawValue) schedule |
        | λ | \(c.lambda.formatted) |
        | seed | \(r.settings.seed) |
        | training time | \(Text.seconds(r.training.seconds)) |

        """
      if let cert = r.certificate {
        s += """

          ## Held-out certificate (at the end of training)

          | measure | value |
          |---|---|
          | HJ residual (mean squared, model units) | \(Text.sci(cert.hjResidual)) |
          | energy distance T♯μ vs ν | \(Text.sci(cert.forwardEnergyDistance)) |
          | energy distance S♯ν vs μ | \(Text.sci(cert.backwardEnergyDistance)) |
          | mean transport cost E c(x, T(x)) | \(cert.transportCost.map { Text.fixed($0, 4) } ?? "n/a") |
          | held-out points per side | \(cert.heldOutPoints) |

          """
      }
      let e = r.test
      s += """

        ## Test metrics (\(r.settings.testPoints) fresh points per side)

        Energy distances are squared energy distances in data units (0 = same distribution).

        | measure | value |
        |---|---|
        | energy distance μ vs ν (no map) | \(Text.sci(e.referenceEnergyDistance)) |
        | energy distance T♯μ vs ν | \(Text.sci(e.forwardEnergyDistance)) |
        | energy distance S♯ν vs μ | \(Text.sci(e.backwardEnergyDistance)) |
        | HJ residual (mean squared, model units) | \(Text.sci(e.hjResidual)) |
        | mean transport cost E c(x, T(x)) | \(e.transportCost.map { Text.fixed($0, 4) } ?? "n/a") |

        """
      if let g = e.gaussianBenchmark {
        s += """
          | forward UVP (closed-form map) | \(Text.fixed(g.forwardUVP, 4)) % |
          | backward UVP | \(Text.fixed(g.backwardUVP, 4)) % |
          | cos (forward / backward) | \(Text.fixed(g.forwardCosine, 5)) / \(Text.fixed(g.backwardCosine, 5)) |

          """
      }
      s += """

        Reproduce: `ncf demo --dataset \(r.settings.dataset) --target-dataset \(r.settings.targetDataset) --iterations \(c.iterations) --batch-size \(c.energyBatch) --points \(r.settings.testPoints) --seed \(r.settings.seed)`

        """
      return s
    }
  }
}
