import ArgumentParser
import Foundation
import NCFTensor
import NCFTransport

/// The discrete OT solver, as a command-line choice.
enum OTMethod: String, ExpressibleByArgument, CaseIterable {
  case exact, sinkhorn
}

extension NCFCommand {
  struct OT: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ot",
      abstract: "Exact or entropic discrete OT between two point sets.",
      discussion: """
        Solves min_P ⟨P, C⟩ over couplings P ≥ 0 with P𝟙 = a and Pᵀ𝟙 = b, where
        Cᵢⱼ = c(xᵢ, yⱼ) for the rows xᵢ of --source and yⱼ of --target (n×d and m×d
        sample files: .npy, .csv, .tsv, .txt). Weights default to uniform 1/n and
        1/m; --source-weights/--target-weights read them from a 1-D or n×1 .npy file
        or a one-column text table. Their totals must agree (relative 1e-9) unless
        --normalize-masses rescales both to 1.

        Costs (--cost, the same spellings as every command): sqeuclidean ‖x − y‖²
        (the default; no ½, as in POT), quadratic ½‖x − y‖² (as ncf train),
        euclidean ‖x − y‖ (W1), lp:P Σₖ|xₖ − yₖ|ᴾ and pnormp:P Σₖ|xₖ − yₖ|ᴾ/P (P ≥ 1).
        The output prints the cost's formula.

        --method exact: network simplex in float64. The result is certified by LP
        duality over all n·m pairs (dual feasibility, complementary slackness,
        marginals); a result that fails the certificate is reported with its
        duality gap and the command exits with status 1 without writing a plan.

        --method sinkhorn: log-domain Sinkhorn with ε-scaling, for
        min ⟨P, C⟩ + ε·KL(P ‖ a⊗b). ε is in cost units (default: 1% of the mean
        cost). The reported cost is ⟨P, C⟩ of the entropic plan (≥ the exact
        optimum). If the marginal error does not reach --tolerance within
        --max-iterations (typically ε too small), the output says NOT CONVERGED
        and the command exits with status 1 without writing a plan, unless
        --accept-unconverged is given (then: a warning, the plan, status 0).
        A non-converged cost is never printed as if it were converged.

        --plan-out writes the plan's nonzero entries as triplets (i, j, mass),
        0-based, one per row: a .csv with header i,j,mass, or an n_nonzero×3
        float64 .npy. Exact plans have at most n + m − 1 entries; entropic plans
        are dense (use --plan-threshold to drop tiny entries). Written atomically.

        Examples:
          ncf ot --source x.npy --target y.npy
          ncf ot --source x.csv --target y.csv --cost euclidean --plan-out plan.csv
          ncf ot --source x.npy --target y.npy --method sinkhorn --epsilon 0.01 --json
          ncf ot --source x.npy --target y.npy --source-weights a.npy --target-weights b.csv --normalize-masses
        """)

    @OptionGroup var samples: SampleFiles
    @Option(name: .customLong("source-weights"), help: ArgumentHelp(
      "Source weights a (n values ≥ 0: 1-D or n×1 .npy, or a one-column .csv/.tsv/.txt; default uniform 1/n).",
      valueName: "file"))
    var sourceWeights: String?
    @Option(name: .customLong("target-weights"), help: ArgumentHelp(
      "Target weights b (m values ≥ 0; default uniform 1/m).", valueName: "file"))
    var targetWeights: String?
    @Option(help: "Solver: exact (network simplex, certified) or sinkhorn (entropic).")
    var method: OTMethod = .exact
    @Option(help: ArgumentHelp("Cost: sqeuclidean (‖x − y‖²), quadratic (½‖x − y‖²), euclidean, lp:P or pnormp:P (P ≥ 1).",
                               valueName: "cost"))
    var cost = "sqeuclidean"
    @Option(help: ArgumentHelp("Sinkhorn: entropic regularisation ε > 0 in cost units (default: 1% of the mean cost).",
                               valueName: "ε"))
    var epsilon: Double?
    @Option(help: ArgumentHelp("Sinkhorn: stop when ‖P𝟙 − a‖₁ ≤ tolerance × total mass.", valueName: "tol"))
    var tolerance = 1e-6
    @Option(name: .customLong("max-iterations"), help: ArgumentHelp(
      "Sinkhorn: iteration cap, all ε-scaling stages together.", valueName: "n"))
    var maxIterations = 10_000
    @Flag(name: .customLong("accept-unconverged"), help: "Sinkhorn: treat non-convergence as a warning (write the plan, exit 0).")
    var acceptUnconverged = false
    @Flag(name: .customLong("normalize-masses"), help: "Divide both weight vectors by their totals (needed when the totals differ).")
    var normalizeMasses = false
    @Option(name: .customLong("plan-out"), help: ArgumentHelp(
      "Write the plan's nonzero entries (i, j, mass) to this .csv or .npy file.", valueName: "file"))
    var planOut: String?
    @Option(name: .customLong("plan-threshold"), help: ArgumentHelp(
      "With --plan-out: drop entries whose mass is ≤ this (default 0: keep every nonzero).", valueName: "mass"))
    var planThreshold = 0.0
    @Flag(help: "Print the result as one JSON object instead of text.")
    var json = false

    func validate() throws {
      _ = try CostOption.parse(cost)
      if let epsilon {
        guard method == .sinkhorn else { throw ValidationError("--epsilon applies to --method sinkhorn only") }
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number") }
      }
      if !(tolerance >= 0) || !tolerance.isFinite { throw ValidationError("--tolerance must be ≥ 0") }
      if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1") }
      if acceptUnconverged && method != .sinkhorn { throw ValidationError("--accept-unconverged applies to --method sinkhorn only") }
      if !(planThreshold >= 0) || !planThreshold.isFinite { throw ValidationError("--plan-threshold must be ≥ 0") }
      if let planOut, !["csv", "npy"].contains(Files.pathExtension(planOut)) {
        throw ValidationError("\(planOut): the plan is written as .csv or .npy; use one of those extensions")
      }
    }

    func run() throws {
      try OTRun(command: self).run()
    }
  }
}
