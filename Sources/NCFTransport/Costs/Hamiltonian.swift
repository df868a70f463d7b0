import NCFTensor
import NCFAutodiff

/// A convex Hamiltonian h: ℝᵈ → ℝ, the object that defines the transport
/// cost in the Hamilton–Jacobi formulation of optimal transport.
///
/// ## Conventions
/// The potential u(x, t) solves ∂ₜu + h(∇ₓu) = 0 on [0, t_f]. Characteristics
/// are straight lines x(t) = x₀ + t∇h(p) with constant momentum p = ∇ₓu, so
///
///     forward map   T(x) = x + t_f ∇h(∇ₓu(x, 0))
///     backward map  S(y) = y − t_f ∇h(∇ₓu(y, t_f))
///
/// The static cost that this transports optimally is the Lagrangian cost
/// c(x, y) = t_f · L((y − x)/t_f), where L = h* is the Legendre transform.
///
/// Worked example (quadratic, t_f = 1): h(p) = ½|p|², ∇h(p) = p, L(v) = ½|v|²,
/// so c(x, y) = ½|x − y|² and T(x) = x + ∇u(x, 0) = ∇(½|x|² + u(x, 0)): the
/// Brenier map. With t_f = 2 the same h gives c(x, y) = ¼|x − y|², which has
/// the same optimal map; t_f only rescales u.
///
/// Only two requirements: h and ∇h on a batch of momenta (rows), written with
/// tape operations so that losses containing them can be differentiated.
/// Conform your own type to use any other smooth convex h.
public protocol Hamiltonian: Sendable, CustomStringConvertible {
  /// h(pᵢ) for every row pᵢ of `p` (n×d → n×1).
  func value<S: TensorScalar>(_ p: Variable<S>) -> Variable<S>
  /// ∇h(pᵢ) for every row (n×d → n×d).
  func gradient<S: TensorScalar>(_ p: Variable<S>) -> Variable<S>
}

/// A Hamiltonian whose Lagrangian L = h* is known in closed form, so the
/// transport cost c(x, y) = t_f·L((y − x)/t_f) can be evaluated.
public protocol HamiltonianWithLagrangian: Hamiltonian {
  /// L(v) for one velocity v.
  func lagrangian(_ v: [Double]) -> Double
}

extension HamiltonianWithLagrangian {
  /// The transport cost c(x, y) = t_f · L((y − x)/t_f).
  public func cost(from x: [Double], to y: [Double], terminalTime tf: Double = 1) -> Double {
    precondition(x.count == y.count, "cost: dimensions differ")
    return tf * lagrangian(zip(x, y).map { ($1 - $0) / tf })
  }
}

/// h(p) = ½|p|²: the quadratic cost c(x, y) = |x − y|²/(2t_f).
public struct QuadraticHamiltonian: HamiltonianWithLagrangian, Equatable, Codable {
  public init() {}
  public func value<S: TensorScalar>(_ p: Variable<S>) -> Variable<S> { p.squared().sum(alongAxis: 1) * S(0.5) }
  public func gradient<S: TensorScalar>(_ p: Variable<S>) -> Variable<S> { p }
  public func lagrangian(_ v: [Double]) -> Double { 0.5 * v.reduce(0) { $0 + $1 * $1 } }
  public var description: String { "quadratic" }
}

/// h(p) = Σᵢ|pᵢ|^q / q with q > 1, whose Lagrangian is L(v) = Σᵢ|vᵢ|^r / r with
/// 1/r + 1/q = 1: the cost c(x, y) = t_f Σᵢ |(yᵢ − xᵢ)/t_f|^r / r (for t_f = 1,
/// |x − y|_r^r / r). q = 2 is the quadratic cost.
///
/// ∇h(p)ᵢ = sign(pᵢ)|pᵢ|^{q−1}; its derivative (q−1)|pᵢ|^{q−2} is unbounded
/// at 0 when q < 2 (taken as 0 there), so prefer q ≥ 2 for training.
public struct PNormHamiltonian: HamiltonianWithLagrangian, Equatable, Codable {
  /// The exponent q > 1 of the Hamiltonian.
  public let q: Double
  /// The dual exponent r = q/(q − 1) of the cost.
  public var costExponent: Double { q / (q - 1) }

  /// - Precondition: q > 1.
  public init(q: Double) {
    precondition(q > 1 && q.isFinite, "PNormHamiltonian needs a finite q > 1")
    self.q = q
  }

  /// The Hamiltonian whose cost is Σ|vᵢ|^r / r.
  public init(costExponent r: Double) {
    precondition(r > 1 && r.isFinite, "the cost exponent must be a finite r > 1")
    self.init(q: r / (r - 1))
  }

  public func value<S: TensorScalar>(_ p: Variable<S>) -> Variable<S> {
    p.absPower(S(q)).sum(alongAxis: 1) * S(1 / q)
  }
  public func gradient<S: TensorScalar>(_ p: Variable<S>) -> Variable<S> { p.signedPower(S(q - 1)) }
  public func lagrangian(_ v: [Double]) -> Double {
    let r = costExponent
    return v.reduce(0) { $0 + Double.pow(Swift.abs($1), r) } / r
  }
  public var description: String { "pnorm(q: \(q))" }
}
