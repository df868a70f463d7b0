import ArgumentParser

@main
struct NCFCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ncf",
    abstract: "Optimal transport with Neural Hamilton–Jacobi Characteristic Flows.",
    discussion: """
      One network u(x, t) gives the transport map in both directions in closed form:
      T(x) = x + ∇h(∇u(x, 0)) and S(y) = y − ∇h(∇u(y, 1)).
      """,
    subcommands: [Demo.self, Bench.self])
}
