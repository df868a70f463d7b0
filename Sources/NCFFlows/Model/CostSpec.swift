import NCFTransport

/// The built-in costs a model can be trained with and saved with.
///
/// - `quadratic`: h(p) = ½|p|², cost c(x, y) = ½|x − y|² (t_f = 1).
/// - `lp(p)`: cost c(x, y) = Σᵢ|xᵢ − yᵢ|^p / p (p > 1), i.e. the Hamiltonian
///   h(p) = Σᵢ|pᵢ|^q / q with q = p/(p − 1). `lp(2)` equals `quadratic`.
///
/// Both Hamiltonians are homogeneous (h(σp) = σ^q h(p)), which is what makes
/// an isotropic rescaling of the data harmless (see ``Normalization``).
public enum CostSpec: Sendable, Equatable, Codable, CustomStringConvertible {
  case quadratic
  case lp(Double)

  /// Parses `quadratic` (or `sqeuclidean`, `l2`) and `lp:P` with P > 1.
  public init?(_ text: String) {
    let t = text.lowercased()
    if ["quadratic", "sqeuclidean", "l2"].contains(t) { self = .quadratic; return }
    let parts = t.split(separator: ":", maxSplits: 1)
    guard parts.count == 2, parts[0] == "lp", let p = Double(parts[1]), CostSpec.lp(p).validationError == nil else { return nil }
    self = p == 2 ? .quadratic : .lp(p)
  }

  public var description: String {
    switch self {
    case .quadratic: return "quadratic"
    case .lp(let p): return "lp:\(p)"
    }
  }

  /// The Hamiltonian h of this cost.
  public var hamiltonian: any HamiltonianWithLagrangian {
    switch self {
    case .quadratic: return QuadraticHamiltonian()
    case .lp(let p): return PNormHamiltonian(costExponent: p)
    }
  }

  /// The degree q of homogeneity of h.
  public var hamiltonianDegree: Double {
    switch self {
    case .quadratic: return 2
    case .lp(let p): return p / (p - 1)
    }
  }
}
