import ArgumentParser
import Foundation
import NCFTensor
import NCFFlows
import NCFFileSystem
import NCFApplications

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
    @OptionGroup var cost: NCFCostOption
    @OptionGroup(title: "Progress") var progress: ProgressOptions

    func validate() throws {
      if iterations < 1 { throw ValidationError("--iterations must be at least 1") }
      if batchSize < 2 { throw ValidationError("--batch-size must be at least 2") }
      if points < 2 { throw ValidationError("--points must be at least 2") }
      if segments < 0 { throw ValidationError("--segments must be ≥ 0") }
      if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
      let demo = try TransportDemo(
        source: BuiltInDataset(named: dataset), target: targetDataset.map(BuiltInDataset.init(named:)),
        iterations: iterations, batch: batchSize, seed: seed, backwardLambda: backwardLambda, cost: cost.cost,
        testPoints: points, segments: segments)
      cost.warnIfDeprecated()

      let directory = try prepareDirectory()
      let paths = self.paths
      var wroteSomething = false
      defer {
        // A failed run leaves no half-filled directory that it created itself.
        if !wroteSomething && directory.created { try? FileManager.default.removeItem(atPath: directory.path) }
      }
      if let log = progress.log { try Files.checkWritable(log) }

      BLASThreads.set(threads)
      if !progress.quiet {
        FileHandle.standardError.write(Data("ncf demo: \(demo.source) → \(demo.target), \(iterations) steps, batch \(batchSize)\n".utf8))
      }
      let result: TransportDemo.Result
      do {
        result = try Files.refusingNonFinite(model: "the trained model", source: "the test source samples",
                                             target: "the test target samples") {
          try TrainingRun.run(quiet: progress.quiet, log: progress.log) { try demo.run(progress: $0, shouldStop: $1) }
        }
      } catch NCFSolverError.nonFiniteLoss(let step, let hj, let energy, _) {
        throw CLIError("training failed: the loss became non-finite at step \(step) (HJ \(hj), energy \(energy)); nothing was written — try another --seed or fewer --iterations")
      }

      wroteSomething = true
      try ModelFile.save(result.output.model, to: paths.model)
      try result.figure.write(to: paths.figure)
      try Files.writeText(result.report.markdown, to: paths.markdown)
      try Files.writeText(try JSONFormat.prettyString(result.report) + "\n", to: paths.json)

      let output = result.output
      print("\(output.stoppedEarly ? "stopped after" : "trained") \(output.steps) of \(iterations) steps in \(NumberFormat.seconds(output.seconds))")
      Summary.lines(result.report.test).forEach { print($0) }
      print(Summary.cost(demo.cost))
      print("wrote \(paths.model)")
      print("      \(paths.figure)   (open it in a web browser)")
      print("      \(paths.markdown)")
      print("      \(paths.json)")
      if output.stoppedEarly { throw ExitCode(TrainingRun.interruptedExitCode) }
    }

    /// --out without a trailing slash.
    var directoryPath: String { out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out }

    /// The files the demo writes into --out.
    var paths: (model: String, figure: String, markdown: String, json: String) {
      let d = directoryPath
      return (d + "/model.ncf", d + "/figure.svg", d + "/report.md", d + "/report.json")
    }

    /// Creates the output directory if needed and checks it can be written.
    private func prepareDirectory() throws -> (path: String, created: Bool) {
      let path = directoryPath
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
  }
}
