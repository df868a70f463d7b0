import ArgumentParser
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows
import NCFData
import NCFFileSystem

extension NCFCommand {
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Learn the optimal transport map between two sample files.",
      discussion: """
        Trains one potential network u(x, t); the saved model maps points in both
        directions (see ncf map). Sample files are n×d arrays: .npy, .csv, .tsv or
        .txt (one point per row; a CSV header line is skipped).

        Settings: the defaults shown below, then --config FILE (JSON; any subset of
        the keys that --dry-run prints), then the flags given. Progress goes to
        stderr; the summary (steps, time, held-out certificate) to stdout.

        Ctrl-C stops after the current step, saves the model trained so far to
        --out and exits with status 130. If the loss becomes NaN/Inf nothing is
        saved (exit status 1) unless --save-on-failure is given, which saves the
        last parameters whose loss was finite.

        Examples:
          ncf train --source x.npy --target y.npy --out model.ncf
          ncf train --source x.csv --target y.csv --out m.ncf --iterations 2000
          ncf train --source x.npy --target y.npy --out m.ncf \\
                    --source-labels a.npy --target-labels b.npy
          ncf train --source x.npy --target y.npy --out m.ncf \\
                    --config settings.json --seed 3 --log train.jsonl
          ncf train --source x.npy --target y.npy --out m.ncf \\
                    --config settings.json --dry-run
        """)

    @OptionGroup(title: "Inputs and output") var io: TrainIO
    @OptionGroup(title: "Training settings") var training: TrainingOptions
    @OptionGroup(title: "Progress") var progress: ProgressOptions

    @Flag(name: .customLong("save-on-failure"), help: "If the loss becomes NaN/Inf, save the last finite parameters to --out (still exits with status 1).")
    var saveOnFailure = false
    @Flag(name: .customLong("dry-run"), help: "Check the inputs and settings, print the effective settings as JSON, and exit without training.")
    var dryRun = false

    func validate() throws {
      if (io.sourceLabels == nil) != (io.targetLabels == nil) {
        throw ValidationError("give both --source-labels and --target-labels, or neither")
      }
      if io.labelColumn != nil && io.sourceLabels == nil {
        throw ValidationError("--label-column needs --source-labels and --target-labels")
      }
    }

    func run() throws {
      let (source, target, out) = (io.samples.source, io.samples.target, io.out)
      let config = try training.configuration()
      let cost = training.cost.cost
      training.cost.warnIfDeprecated()
      // Fail fast: every output path is checked before reading data or training.
      try Files.checkWritable(out)
      if let log = progress.log { try Files.checkWritable(log) }

      let (x, y) = try Files.pair(source: source, target: target)
      var labels: (source: [Int], target: [Int])? = nil
      if let sourceLabels = io.sourceLabels, let targetLabels = io.targetLabels {
        labels = try Files.labels(source: sourceLabels, target: targetLabels,
                                  column: io.labelColumn.map(SampleFile.Column.init(parsing:)))
      }
      let problem = NCFProblem(source: x, target: y, sourceLabels: labels?.source, targetLabels: labels?.target, cost: cost)
      if let issue = problem.issue {
        throw CLIError(issue.message(naming: .init(source: source, target: target, sourceLabels: io.sourceLabels,
                                                   targetLabels: io.targetLabels)))
      }

      let classes = labels.map { Set($0.source).count }
      let dataLine = "source \(x.rows)×\(x.columns) (\(source)), target \(y.rows)×\(y.columns) (\(target))"
        + (classes.map { ", \($0) classes" } ?? "")
      if dryRun {
        print("inputs OK: \(dataLine)")
        print(Summary.cost(cost))
        print("settings:")
        print(try JSONFormat.prettyString(config))
        return
      }
      if let threads = training.threads { BLASThreads.set(threads) }
      if !progress.quiet {
        FileHandle.standardError.write(Data("training on \(dataLine): \(config.iterations) steps, \(config.width)×\(config.depth) \(config.activation) network, \(cost.name) cost (\(cost.formula))\n".utf8))
      }

      let result: NCFOutput
      do {
        result = try TrainingRun.solve(problem, settings: config, options: progress)
      } catch NCFSolverError.nonFiniteLoss(let step, let hj, let energy, let lastGood) {
        var message = "training failed: the loss became non-finite at step \(step) (HJ \(hj), energy \(energy)); try a smaller --learning-rate or --lambda"
        if saveOnFailure {
          try ModelFile.save(lastGood, to: out)
          message += "; saved the last finite parameters to \(out) (--save-on-failure)"
        } else {
          message += "; nothing was saved (--save-on-failure keeps the last finite parameters)"
        }
        throw CLIError(message)
      }

      try ModelFile.save(result.model, to: out)
      let interrupted = result.stoppedEarly && TrainingRun.interrupted
      print("\(interrupted ? "stopped after" : "trained") \(result.steps) of \(config.iterations) steps in \(NumberFormat.seconds(result.seconds))")
      Summary.lines(result.certificate).forEach { print($0) }
      print(Summary.cost(cost))
      print("model written to \(out)")
      if interrupted {
        FileHandle.standardError.write(Data("interrupted: saved the model of step \(result.certificate.step) to \(out)\n".utf8))
        throw ExitCode(TrainingRun.interruptedExitCode)
      }
    }
  }
}

/// The files `ncf train` reads and writes.
struct TrainIO: ParsableArguments {
  @OptionGroup var samples: SampleFiles
  @Option(help: ArgumentHelp("Where to save the model.", valueName: "file")) var out: String

  @Option(name: .customLong("source-labels"), help: ArgumentHelp(
    "Class labels of the source rows: class-conditional transport, class k of μ to class k of ν (needs --target-labels).",
    valueName: "file"))
  var sourceLabels: String?
  @Option(name: .customLong("target-labels"), help: ArgumentHelp("Class labels of the target rows.", valueName: "file"))
  var targetLabels: String?
  @Option(name: .customLong("label-column"), help: ArgumentHelp(
    "For CSV/TSV/TXT label files: the label column, by header name or 0-based index (default: the only column).",
    valueName: "column"))
  var labelColumn: String?
}
