import ArgumentParser

@main
struct NCFCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ncf",
    abstract: "Optimal transport with Neural Hamilton–Jacobi Characteristic Flows.",
    discussion: """
      One network u(x, t) gives the transport map in both directions in closed form:
      T(x) = x + ∇h(∇u(x, 0)) and S(y) = y − ∇h(∇u(y, 1)).

      Start with `ncf demo` (trains on built-in 2-D data and writes a figure and a
      report), then `ncf train`, `ncf map`, `ncf eval` and `ncf plot` on your own
      .npy/.csv files. `ncf <command> --help` shows each command's options.
      """,
    subcommands: [Demo.self, Train.self, Map.self, Eval.self, PlotModel.self, Datasets.self, Sample.self, OT.self, ColorTransfer.self, Bench.self])

  /// ArgumentParser's `main` with one step added between parsing and running:
  /// a command that writes files refuses an output that names one of its
  /// inputs (``FileCommand``), the one place every command gets that check.
  static func main() {
    do {
      var command = try parseAsRoot()
      if let files = command as? any FileCommand { try files.checkOutputsAreNotInputs() }
      try command.run()
    } catch {
      exit(withError: error)
    }
  }
}
