import Foundation
import NCFFlows

/// Runs the trainer with the CLI's progress display and Ctrl-C handling.
enum TrainingRun {
  /// Trains `problem`, drawing progress on stderr and writing the JSON-lines
  /// log. The first Ctrl-C stops after the current step (the result then has
  /// `stoppedEarly` set and ``interrupted`` is true); a second one exits at once.
  /// - Throws: ``NCFTrainingError`` from the trainer, ``CLIError`` when the log cannot be created.
  static func train(_ trainer: NCFTrainer, _ problem: NCFProblem, options: ProgressOptions) throws -> NCFTrainingResult {
    Interrupt.install()
    let reporter = try ProgressReporter(quiet: options.quiet, logPath: options.log)
    defer { reporter.finish() }
    return try trainer.train(
      problem,
      progress: { report in
        reporter.report(report)
        return true
      },
      shouldStop: { Interrupt.requested })
  }

  /// Whether the user pressed Ctrl-C.
  static var interrupted: Bool { Interrupt.requested }

  /// The exit status after an interrupted run (128 + SIGINT, as shells report it).
  static let interruptedExitCode: Int32 = 130
}

/// A training history point, from the trainer or from a `--log` file.
struct LossPoint: Sendable {
  var step: Int
  var hjLoss: Double
  /// The minibatch energy distance (absent on validation-only reports).
  var energyDistance: Double?
  /// Held-out forward energy distance on validation steps.
  var heldOutForward: Double?

  init(step: Int, hjLoss: Double, energyDistance: Double?, heldOutForward: Double?) {
    self.step = step
    self.hjLoss = hjLoss
    self.energyDistance = energyDistance
    self.heldOutForward = heldOutForward
  }

  init(_ p: TrainingProgress) {
    self.init(step: p.step, hjLoss: p.hjLoss, energyDistance: p.energyDistance.isFinite ? p.energyDistance : nil,
              heldOutForward: p.validation?.forwardEnergyDistance)
  }

  /// Reads the JSON-lines log that `--log` writes.
  /// - Throws: ``CLIError`` naming the file and the first bad line.
  static func readLog(_ path: String) throws -> [LossPoint] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CLIError("\(path): no such file") }
    if isDirectory.boolValue { throw CLIError("\(path): is a directory, expected a JSON-lines log file") }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw CLIError("\(path): cannot read file")
    }
    var points: [LossPoint] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any],
            let step = (object["step"] as? NSNumber)?.intValue,
            let hj = (object["hj_loss"] as? NSNumber)?.doubleValue else {
        throw CLIError("\(path): line \(index + 1) is not a progress record (expected a JSON object with step and hj_loss)")
      }
      let validation = object["validation"] as? [String: Any]
      points.append(LossPoint(step: step, hjLoss: hj, energyDistance: (object["energy_distance"] as? NSNumber)?.doubleValue,
                              heldOutForward: (validation?["forward_energy_distance"] as? NSNumber)?.doubleValue))
    }
    if points.isEmpty { throw CLIError("\(path): the log holds no progress records") }
    return points
  }
}
