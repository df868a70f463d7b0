import ArgumentParser
import NCFFileSystem

/// A command that reads and writes files named by its options. Before the
/// command runs (``NCFCommand/main()``), ``checkOutputsAreNotInputs()``
/// refuses an output that names the same file as an input or as another
/// output (another spelling, a symbolic link or a hard link:
/// ``FileIdentity``), so that no input is ever overwritten and no output
/// replaces another.
protocol FileCommand: ParsableCommand {
  /// The files the command reads, as (option, path); nil paths (options not given) are skipped.
  var inputFiles: [(option: String, path: String?)] { get }
  /// The files the command writes, as (option, path).
  var outputFiles: [(option: String, path: String?)] { get }
}

extension FileCommand {
  /// - Throws: ``CLIError`` naming both options and paths.
  /// - Complexity: a few `stat` calls per pair of paths.
  func checkOutputsAreNotInputs() throws {
    func given(_ files: [(option: String, path: String?)]) -> [(label: String, path: String)] {
      files.compactMap { file in file.path.map { (file.option, $0) } }
    }
    guard let clash = FileIdentity.firstClash(outputs: given(outputFiles), inputs: given(inputFiles)) else { return }
    let (output, other) = (clash.output, clash.other)
    let names = "\(output.label) \(output.path) and \(other.label) \(other.path) name the same file"
    throw CLIError(clash.otherIsInput
      ? "\(names): writing the output would destroy the input; choose another output path"
      : "\(names): one output would replace the other; choose different paths")
  }
}

// MARK: - What each command reads and writes

extension NCFCommand.Train: FileCommand {
  var inputFiles: [(option: String, path: String?)] {
    [("--source", io.samples.source), ("--target", io.samples.target), ("--source-labels", io.sourceLabels),
     ("--target-labels", io.targetLabels), ("--config", training.config)]
  }
  var outputFiles: [(option: String, path: String?)] { [("--out", io.out), ("--log", progress.log)] }
}

extension NCFCommand.Map: FileCommand {
  var inputFiles: [(option: String, path: String?)] { [("--model", modelFile.model), ("--input", input)] }
  var outputFiles: [(option: String, path: String?)] { [("--out", out)] }
}

extension NCFCommand.OT: FileCommand {
  var inputFiles: [(option: String, path: String?)] {
    [("--source", samples.source), ("--target", samples.target), ("--source-weights", sourceWeights),
     ("--target-weights", targetWeights)]
  }
  var outputFiles: [(option: String, path: String?)] { [("--plan-out", planOut)] }
}

extension NCFCommand.ColorTransfer: FileCommand {
  var inputFiles: [(option: String, path: String?)] { [("--content", content), ("--style", style), ("--model", model)] }
  var outputFiles: [(option: String, path: String?)] {
    [("--out", out), ("--reverse-out", reverseOut), ("--report", report), ("--figure", figure), ("--save-model", saveModel)]
  }
}

extension NCFCommand.PlotModel: FileCommand {
  var inputFiles: [(option: String, path: String?)] {
    [("--model", modelFile.model), ("--source", samples.source), ("--target", samples.target), ("--log", log)]
  }
  var outputFiles: [(option: String, path: String?)] { [("--out", out)] }
}

extension NCFCommand.Sample: FileCommand {
  var inputFiles: [(option: String, path: String?)] { [] }
  var outputFiles: [(option: String, path: String?)] { [("--out", out), ("--labels-out", labelsOut)] }
}

extension NCFCommand.Demo: FileCommand {
  var inputFiles: [(option: String, path: String?)] { [] }
  var outputFiles: [(option: String, path: String?)] {
    let p = paths
    return [("--out (model.ncf)", p.model), ("--out (figure.svg)", p.figure), ("--out (report.md)", p.markdown),
            ("--out (report.json)", p.json), ("--log", progress.log)]
  }
}
