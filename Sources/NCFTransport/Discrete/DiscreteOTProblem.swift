import NCFTensor

/// A balanced discrete optimal-transport problem between two weighted point
/// sets (or histograms): minimise ⟨P, C⟩ over the couplings P ≥ 0 with
/// P𝟙 = a and Pᵀ𝟙 = b.
///
/// The problem is data only (no algorithm); solve it with ``NetworkSimplex``
/// (exact) or ``Sinkhorn`` (entropic).
///
/// ## Validation and mass policy
/// The initialiser checks its inputs once, so that solvers never have to:
/// weights must be finite and ≥ 0 with a positive total, costs must be
/// finite, and the two totals must agree to within `massTolerance`
/// (relative). Unequal totals are an error (``DiscreteOTError/unbalancedMasses(sourceTotal:targetTotal:)``)
/// unless you opt in with `normalizingMasses: true`, which divides `a` and
/// `b` by their totals (the plan then has total mass 1).
///
/// Zero weights are allowed: solvers drop those rows and columns internally
/// and map the result back (zero plan rows/columns, potentials extended by
/// the c-transform so that dual feasibility holds on every pair).
public struct DiscreteOTProblem: Sendable {
  /// Source weights (length n), as given or normalised.
  public let a: [Double]
  /// Target weights (length m), as given or normalised.
  public let b: [Double]
  /// The n×m cost matrix, Cᵢⱼ = c(xᵢ, yⱼ).
  public let cost: Tensor<Double>

  /// Number of source points n.
  public var sourceCount: Int { a.count }
  /// Number of target points m.
  public var targetCount: Int { b.count }
  /// Σ aᵢ (equal to Σ bⱼ up to the mass tolerance).
  public var totalMass: Double { a.reduce(0, +) }

  /// Creates and validates a problem.
  ///
  /// - Parameters:
  ///   - a: source weights (n), finite, ≥ 0, positive total; `nil` means uniform 1/n.
  ///   - b: target weights (m), likewise; `nil` means uniform 1/m.
  ///   - cost: n×m finite costs (any sign).
  ///   - normalizingMasses: divide `a` and `b` by their totals instead of
  ///     rejecting unequal totals.
  ///   - massTolerance: the largest accepted |Σa − Σb| / max(Σa, Σb) when not normalising.
  /// - Throws: ``DiscreteOTError`` when the shapes disagree, a weight is
  ///   negative or non-finite, a total is zero, a cost is non-finite, or the
  ///   totals differ by more than `massTolerance`.
  /// - Complexity: O(n·m) time (one pass over the costs), no extra memory.
  public init(
    a: [Double]? = nil, b: [Double]? = nil, cost: Tensor<Double>,
    normalizingMasses: Bool = false, massTolerance: Double = 1e-9
  ) throws {
    let n = cost.rows, m = cost.columns
    var a = a ?? [Double](repeating: 1 / Double(max(n, 1)), count: n)
    var b = b ?? [Double](repeating: 1 / Double(max(m, 1)), count: m)
    guard a.count == n, b.count == m else {
      throw DiscreteOTError.shapeMismatch(
        "cost is \(n)×\(m) but there are \(a.count) source and \(b.count) target weights")
    }
    let totalA = try Self.checkedTotal(a, side: .source)
    let totalB = try Self.checkedTotal(b, side: .target)
    if normalizingMasses {
      a = a.map { $0 / totalA }
      b = b.map { $0 / totalB }
    } else if abs(totalA - totalB) > massTolerance * max(totalA, totalB) {
      throw DiscreteOTError.unbalancedMasses(sourceTotal: totalA, targetTotal: totalB)
    }
    if let k = cost.scalars.firstIndex(where: { !$0.isFinite }) {
      throw DiscreteOTError.nonFiniteCost(row: k / m, column: k % m, value: cost.scalars[k])
    }
    self.a = a
    self.b = b
    self.cost = cost
  }

  /// The problem between point sets `x` (n×d) and `y` (m×d) under a cost
  /// (``Cost``; the default is `sqeuclidean`, ‖x − y‖² without ½, as in POT).
  ///
  /// Same validation as ``init(a:b:cost:normalizingMasses:massTolerance:)``.
  /// - Complexity: O(n·m·d) time and O(n·m) memory for the cost matrix.
  public init(
    source x: Tensor<Double>, target y: Tensor<Double>, a: [Double]? = nil, b: [Double]? = nil,
    cost: Cost = .sqeuclidean, normalizingMasses: Bool = false, massTolerance: Double = 1e-9
  ) throws {
    guard x.columns == y.columns else {
      throw DiscreteOTError.shapeMismatch("source points have \(x.columns) columns, target points \(y.columns)")
    }
    try self.init(
      a: a, b: b, cost: cost.matrix(x, y), normalizingMasses: normalizingMasses, massTolerance: massTolerance)
  }

  private static func checkedTotal(_ w: [Double], side: DiscreteOTError.Side) throws -> Double {
    var total = 0.0
    for (k, v) in w.enumerated() {
      guard v.isFinite, v >= 0 else { throw DiscreteOTError.invalidWeight(side: side, index: k, value: v) }
      total += v
    }
    guard total > 0, total.isFinite else { throw DiscreteOTError.zeroTotalMass(side: side) }
    return total
  }
}

/// Why a discrete OT problem could not be built or solved exactly.
public enum DiscreteOTError: Error, Sendable, CustomStringConvertible {
  /// Which marginal an error refers to.
  public enum Side: String, Sendable { case source, target }

  /// Sizes of weights, costs or points disagree.
  case shapeMismatch(String)
  /// A weight is negative, NaN or infinite.
  case invalidWeight(side: Side, index: Int, value: Double)
  /// All weights on one side are zero.
  case zeroTotalMass(side: Side)
  /// Σa and Σb differ by more than the mass tolerance (and normalisation was not requested).
  case unbalancedMasses(sourceTotal: Double, targetTotal: Double)
  /// A cost entry is NaN or infinite.
  case nonFiniteCost(row: Int, column: Int, value: Double)
  /// The network simplex stopped at its iteration cap. The output holds the
  /// last (feasible, but not certified optimal) plan and its certificate.
  case iterationLimitReached(ExactOTOutput)
  /// The solver finished but the optimality certificate failed its tolerance
  /// (reduced-cost violation, complementary slackness or marginal error too
  /// large; see the output's ``ExactOTOutput/certificate``).
  case optimalityNotCertified(ExactOTOutput)

  public var description: String {
    switch self {
    case .shapeMismatch(let s): return "shape mismatch: \(s)"
    case .invalidWeight(let side, let k, let v):
      return "\(side.rawValue) weight \(k) is \(v); weights must be finite and ≥ 0"
    case .zeroTotalMass(let side): return "the \(side.rawValue) weights sum to zero"
    case .unbalancedMasses(let sa, let sb):
      return "unbalanced masses: Σa = \(sa), Σb = \(sb) (relative difference \(abs(sa - sb) / max(sa, sb))); "
        + "pass normalizingMasses: true to rescale both to 1"
    case .nonFiniteCost(let i, let j, let v): return "cost[\(i), \(j)] is \(v); costs must be finite"
    case .iterationLimitReached(let out):
      return "network simplex hit its iteration cap (\(out.iterations) pivots) before optimality: "
        + out.certificate.summary
    case .optimalityNotCertified(let out):
      return "network simplex could not certify optimality: " + out.certificate.summary
    }
  }
}
