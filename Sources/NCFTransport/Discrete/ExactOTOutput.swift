import NCFTensor

/// One nonzero entry of a transport plan: `mass` moves from source `row` to target `column`.
public struct PlanEntry: Sendable, Equatable {
  public var row: Int
  public var column: Int
  public var mass: Double

  public init(row: Int, column: Int, mass: Double) {
    self.row = row
    self.column = column
    self.mass = mass
  }
}

/// The checks that prove (or refute) optimality of an exact OT solution,
/// computed from scratch after the solve over **all** n×m pairs of the
/// original problem (zero-weight rows and columns included).
///
/// Linear-programming duality: a feasible plan P and potentials (f, g) are
/// both optimal when (1) Cᵢⱼ − fᵢ − gⱼ ≥ 0 for every pair (dual
/// feasibility) and (2) Cᵢⱼ − fᵢ − gⱼ = 0 wherever Pᵢⱼ > 0 (complementary
/// slackness). Then ⟨P, C⟩ = ⟨a, f⟩ + ⟨b, g⟩. Each condition is measured
/// and compared with a tolerance.
public struct OptimalityCertificate: Sendable, Equatable {
  /// max(0, −minᵢⱼ (Cᵢⱼ − fᵢ − gⱼ)): how far the duals are from feasible.
  public var maxReducedCostViolation: Double
  /// maxᵢⱼ |Cᵢⱼ − fᵢ − gⱼ| over the plan's support.
  public var maxSlacknessViolation: Double
  /// max over rows and columns of |plan marginal − weight|.
  public var maxMarginalError: Double
  /// ⟨P, C⟩ − (⟨a, f⟩ + ⟨b, g⟩); bounded by the violations above.
  public var dualityGap: Double
  /// max |Cᵢⱼ|, the scale that the cost tolerances are relative to.
  public var costScale: Double
  /// The absolute tolerance applied to the two reduced-cost checks
  /// (`optimalityTolerance × costScale`).
  public var costTolerance: Double
  /// The absolute tolerance applied to the marginal errors
  /// (`marginalTolerance × total mass`).
  public var marginalTolerance: Double

  /// True when all three checks pass their tolerances.
  public var isOptimal: Bool {
    maxReducedCostViolation <= costTolerance && maxSlacknessViolation <= costTolerance
      && maxMarginalError <= marginalTolerance
  }

  /// A one-line human-readable account of the checks.
  public var summary: String {
    "reduced-cost violation \(maxReducedCostViolation), slackness violation \(maxSlacknessViolation) "
      + "(tolerance \(costTolerance)); marginal error \(maxMarginalError) (tolerance \(marginalTolerance)); "
      + "duality gap \(dualityGap)"
  }
}

/// The result of ``NetworkSimplex``: a sparse optimal plan, its cost, dual
/// potentials, diagnostics and the optimality certificate.
public struct ExactOTOutput: Sendable {
  /// How the solve ended.
  public enum Status: String, Sendable {
    /// Certified optimal (see ``certificate``).
    case optimal
    /// Stopped at `maxIterations`; the plan is feasible but not optimal.
    case iterationLimitReached
    /// Finished, but the certificate failed a tolerance (numerical trouble).
    case notCertified
  }

  /// n, the number of source points.
  public let sourceCount: Int
  /// m, the number of target points.
  public let targetCount: Int
  /// The nonzero plan entries sorted by (row, column); at most n + m − 1 of them.
  public let support: [PlanEntry]
  /// ⟨P, C⟩, the transport cost of the plan.
  public let cost: Double
  /// Source potentials f (length n).
  ///
  /// Convention: fᵢ + gⱼ ≤ Cᵢⱼ everywhere, with equality on the support;
  /// the free constant is fixed so that ⟨a, f⟩ = ⟨b, g⟩. Rows with zero
  /// weight get the c-transform fᵢ = minⱼ (Cᵢⱼ − gⱼ).
  public let f: [Double]
  /// Target potentials g (length m); see ``f``.
  public let g: [Double]
  /// Number of network-simplex pivots.
  public let iterations: Int
  /// Pivots that moved no mass (degenerate pivots).
  public let degeneratePivots: Int
  /// How many times the loop recomputed the potentials from the tree and
  /// re-priced every arc before accepting optimality.
  public let verificationPasses: Int
  /// The optimality checks (always computed, whatever the status).
  public let certificate: OptimalityCertificate
  /// How the solve ended.
  public let status: Status

  /// True when the status is ``Status/optimal``.
  public var isOptimal: Bool { status == .optimal }

  /// The dual objective ⟨a, f⟩ + ⟨b, g⟩ (equal to ``cost`` at optimality).
  public var dualObjective: Double { cost - certificate.dualityGap }

  /// The dense n×m plan.
  /// - Complexity: O(n·m) time and memory.
  public var plan: Tensor<Double> {
    var p = Tensor<Double>.zeros(rows: sourceCount, columns: targetCount)
    for e in support { p[e.row, e.column] += e.mass }
    return p
  }
}
