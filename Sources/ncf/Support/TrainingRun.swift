import Foundation
import NCFFlows

/// Runs the NCF solver with the CLI's progress display and Ctrl-C handling.
enum TrainingRun {
  /// Solves `problem`, drawing progress on stderr and writing the JSON-lines
  /// log. The first Ctrl-C stops after the current step (the output then has
  /// `stoppedEarly` set and ``interrupted`` is true); a second one exits at once.
  /// - Throws: ``NCFSolverError`` from the solver, ``CLIError`` when the log cannot be created.
  static func solve(_ problem: NCFProblem, settings: NCFTrainingConfiguration, options: ProgressOptions) throws -> NCFOutput {
    try run(quiet: options.quiet, log: options.log) { progress, shouldStop in
      try NCFSolver(settings: settings).solve(problem, progress: progress, shouldStop: shouldStop)
    }
  }

  /// Runs `body` with a progress callback (stderr and the optional log) and
  /// a Ctrl-C flag to poll.
  static func run<T>(
    quiet: Bool, log: String?,
    _ body: (_ progress: @escaping (TrainingProgress) -> Bool, _ shouldStop: @escaping () -> Bool) throws -> T
  ) throws -> T {
    Interrupt.install()
    let reporter = try ProgressReporter(quiet: quiet, logPath: log)
    defer { reporter.finish() }
    return try body({ reporter.report($0); return true }, { Interrupt.requested })
  }

  /// Whether the user pressed Ctrl-C.
  static var interrupted: Bool { Interrupt.requested }

  /// The exit status after an interrupted run (128 + SIGINT, as shells report it).
  static let interruptedExitCode: Int32 = 130
}
