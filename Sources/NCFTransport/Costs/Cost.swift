import NCFTensor

/// The transport cost c(x, y): the one vocabulary of the package. The same
/// spelling means the same cost on every command (`ncf train`, `ncf ot`,
/// `ncf color-transfer`, `ncf demo`) and in the library, and outputs print
/// the formula next to the spelling.
///
/// | spelling     | c(x, y)                 | NCF (``hamiltonian``)            | discrete (``matrix(_:_:)``) |
/// |--------------|-------------------------|----------------------------------|-----------------------------|
/// | `quadratic`  | ½‖x − y‖²               | h(p) = ½‖p‖² (the default)       | yes                         |
/// | `sqeuclidean`| ‖x − y‖² (no ½)         | no: write `quadratic` (same map) | yes (`ncf ot`'s default)    |
/// | `euclidean`  | ‖x − y‖                 | no: h is not smooth              | yes                         |
/// | `lp:P`       | Σₖ\|xₖ − yₖ\|ᴾ, P ≥ 1    | no: write `pnormp:P` (same map)  | yes                         |
/// | `pnormp:P`   | Σₖ\|xₖ − yₖ\|ᴾ / P, P ≥ 1 | h(p) = Σ\|pₖ\|^q / q, q = P/(P − 1), for P > 1 | yes |
///
/// **The ½ convention.** `quadratic` includes the ½ (it is the Lagrangian
/// of h(p) = ½‖p‖², so T(x) = x + ∇u(x, 0) is the Brenier map and the
/// reported transport costs are ½E‖x − T(x)‖²); `sqeuclidean` does not (as
/// in POT and OTT-JAX). `pnormp:P` is OTT-JAX's `PNormP`, with
/// `pnormp:2` = `quadratic`; `lp:P` is the plain sum of powers, with
/// `lp:2` = `sqeuclidean`. Scaling a cost changes neither the optimal plan
/// nor the optimal map, only the reported costs (and the units of a
/// Sinkhorn ε).
///
/// To add a cost: a case here, its spelling in ``Cost+Spelling.swift``, its
/// kernel in ``matrix(_:_:)``, and, if NCF can train with it, a smooth convex
/// ``Hamiltonian`` whose Lagrangian is the cost (``hamiltonian``) and a
/// stored form in ``Cost+Codable.swift``.
public enum Cost: Sendable, Hashable {
  /// ½‖x − y‖².
  case quadratic
  /// ‖x − y‖² (no ½).
  case sqeuclidean
  /// ‖x − y‖ (the W₁ cost).
  case euclidean
  /// Σₖ |xₖ − yₖ|ᴾ with P ≥ 1 (no 1/P).
  case lp(Double)
  /// Σₖ |xₖ − yₖ|ᴾ / P with P ≥ 1: the Lagrangian of h(p) = Σ|pₖ|^q / q.
  case pnormp(Double)

  /// The canonical spelling (`quadratic`, `lp:1.5`, `pnormp:3`).
  public var name: String { spelling.name }

  /// The formula, e.g. `½‖x − y‖²`.
  public var formula: String { spelling.formula }

  private var spelling: (name: String, formula: String) {
    switch self {
    case .quadratic: return ("quadratic", "½‖x − y‖²")
    case .sqeuclidean: return ("sqeuclidean", "‖x − y‖²")
    case .euclidean: return ("euclidean", "‖x − y‖")
    case .lp(let p):
      let e = NumberFormat.shortest(p)
      return ("lp:\(e)", "Σₖ |xₖ − yₖ|^\(e)")
    case .pnormp(let p):
      let e = NumberFormat.shortest(p)
      return ("pnormp:\(e)", "Σₖ |xₖ − yₖ|^\(e) / \(e)")
    }
  }

  /// One line for outputs: what the cost is, the ½ convention spelled out.
  public var definition: String {
    switch self {
    case .quadratic: return "quadratic, c(x, y) = ½‖x − y‖²"
    case .sqeuclidean: return "squared Euclidean, c(x, y) = ‖x − y‖² (no ½)"
    case .euclidean: return "Euclidean, c(x, y) = ‖x − y‖"
    case .lp, .pnormp: return "c(x, y) = \(formula)"
    }
  }

  // MARK: - NCF

  /// The Hamiltonian h whose Lagrangian is this cost (t_f = 1), for the NCF
  /// solver; nil when NCF cannot train with the cost (see ``ncfRefusal``).
  public var hamiltonian: (any HamiltonianWithLagrangian)? {
    switch self {
    case .quadratic: return QuadraticHamiltonian()
    case .pnormp(let p) where Self.ncfExponentProblem(p) == nil: return PNormHamiltonian(costExponent: p)
    default: return nil
    }
  }

  /// The degree q of homogeneity of ``hamiltonian`` (h(σp) = σ^q h(p)).
  public var hamiltonianDegree: Double? {
    switch self {
    case .quadratic: return 2
    case .pnormp(let p) where Self.ncfExponentProblem(p) == nil: return p / (p - 1)
    default: return nil
    }
  }

  /// Why NCF cannot train with the cost exponent P of `pnormp:P`, or nil.
  /// P must be a finite number > 1, and the Hamiltonian's exponent
  /// q = P/(P − 1) must stay above 1 in Float, the precision the networks
  /// run in: from P ≈ 1.7·10⁷ on it rounds to 1 there, and h(p) = Σ|pₖ|^q/q
  /// becomes the non-smooth Σ|pₖ| of P = 1. The one place this rule lives:
  /// ``hamiltonian``, ``ncfRefusal`` and the model-file decoding use it.
  public static func ncfExponentProblem(_ p: Double) -> String? {
    guard p.isFinite else { return "the exponent P = \(p) is not a finite number" }
    guard p > 1 else {
      return "Σₖ |xₖ − yₖ| has no smooth Hamiltonian, so NCF cannot train with it; use quadratic or pnormp:P with P > 1"
    }
    guard Float(p / (p - 1)) > 1 else {
      return "the exponent P = \(NumberFormat.shortest(p)) is too large for NCF: q = P/(P − 1) rounds to 1 in Float, "
        + "the precision the networks run in, and h(p) = Σ|pₖ|^q/q is no longer smooth; use P ≤ 10⁷"
    }
    return nil
  }

  /// Why NCF cannot train with this cost and what to use instead, or nil
  /// when it can.
  public var ncfRefusal: String? {
    switch self {
    case .quadratic: return nil
    case .pnormp(let p): return Self.ncfExponentProblem(p)
    case .sqeuclidean:
      return "NCF trains with the ½ convention: write quadratic (½‖x − y‖², the same optimal map; "
        + "before this version `ncf train --cost sqeuclidean` meant ½‖x − y‖²)"
    case .euclidean:
      return "‖x − y‖ has no smooth Hamiltonian (h is the indicator of the unit ball), so NCF cannot train with it; "
        + "use quadratic or pnormp:P with P > 1 (ncf ot --cost euclidean solves the discrete problem)"
    case .lp(let p):
      if let problem = Self.ncfExponentProblem(p) { return problem }
      return "write pnormp:\(NumberFormat.shortest(p)) (Σₖ |xₖ − yₖ|^\(NumberFormat.shortest(p)) / \(NumberFormat.shortest(p)), the same optimal map; "
          + "before this version `ncf train --cost lp:P` meant Σₖ |xₖ − yₖ|ᴾ / P)"
    }
  }
}

extension Cost: CustomStringConvertible {
  /// The spelling and the formula: `quadratic (½‖x − y‖²)`.
  public var description: String { "\(name) (\(formula))" }
}
