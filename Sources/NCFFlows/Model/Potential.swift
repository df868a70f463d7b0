import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport

/// Anything that gives the value u(x, t) and the space-time gradient
/// (∇ₓu, ∂ₜu) on a batch, differentiably: the abstraction the NCF losses are
/// written against, so the trained network and a closed-form u* (e.g. the
/// Gaussian ``GaussianPotential``) go through the very same loss code.
///
/// Inputs are rows z = [x; t] (B × (d + 1)); the gradient has the same shape,
/// its last column being ∂ₜu.
public protocol Potential {
  associatedtype Scalar: TensorScalar
  /// Space dimension d.
  var dimension: Int { get }
  /// u(z) (B×1) and ∇_z u(z) (B×(d+1)).
  func valueAndGradient(_ z: Variable<Scalar>) -> (u: Variable<Scalar>, g: Variable<Scalar>)
  /// u(z) alone (B×1).
  func value(_ z: Variable<Scalar>) -> Variable<Scalar>
}

/// The network u_θ([x; t]) as a ``Potential`` on one tape.
public struct NetworkPotential<Scalar: TensorScalar>: Potential {
  public let network: PotentialNetwork
  public let parameters: ParameterSet<Scalar>
  /// The parameters as variables on the tape (differentiable leaves when
  /// training, constants for inference).
  public let variables: [Variable<Scalar>]

  public init(network: PotentialNetwork, parameters: ParameterSet<Scalar>, variables: [Variable<Scalar>]) {
    precondition(variables.count == parameters.count, "one variable per parameter")
    self.network = network
    self.parameters = parameters
    self.variables = variables
  }

  public var dimension: Int { network.dimension }

  public func valueAndGradient(_ z: Variable<Scalar>) -> (u: Variable<Scalar>, g: Variable<Scalar>) {
    network.valueAndGradient(z, parameters: parameters, variables: variables)
  }

  public func value(_ z: Variable<Scalar>) -> Variable<Scalar> {
    network.value(z, parameters: parameters, variables: variables)
  }
}

/// The exact viscosity solution for the quadratic cost between Gaussians
/// μ = N(m₀, Σ₀) and ν = N(m₁, Σ₁) with Brenier map T*(x) = m₁ + Γ(x − m₀):
///
///     u*(x, t) = ½ wᵀMₜw + δᵀx − (t/2)|δ|²,   Mₜ = B(I + tB)⁻¹,  B = Γ − I,
///     δ = m₁ − m₀,  w = x − m₀ − tδ,   ∇ₓu* = Mₜw + δ,  ∂ₜu* = −½|∇ₓu*|²
///
/// (with t_f = 1). Values are recorded on the tape as constants: u* has no
/// trainable parameters, and a loss evaluated on it must vanish.
public struct GaussianPotential<Scalar: TensorScalar>: Potential {
  public let problem: GaussianOT

  public init(_ problem: GaussianOT) { self.problem = problem }

  public var dimension: Int { problem.source.dimension }

  /// (u*, ∇ₓu*, ∂ₜu*) at one point, in Double.
  public func evaluate(x: [Double], t: Double) -> (u: Double, gradient: [Double], dt: Double) {
    let d = dimension
    let m0 = problem.source.mean, m1 = problem.target.mean
    let delta = zip(m1, m0).map { $0 - $1 }
    // I + tB = (1 − t)I + tΓ is SPD on [0, 1]; Mₜ = B(I + tB)⁻¹ is symmetric.
    guard let m = try? problem.potentialHessian(time: t) else { preconditionFailure("I + tB is not SPD at t = \(t)") }
    let w = (0..<d).map { x[$0] - m0[$0] - t * delta[$0] }
    var mw = [Double](repeating: 0, count: d)
    for i in 0..<d { for j in 0..<d { mw[i] += m[i, j] * w[j] } }
    let deltaSq = delta.reduce(0) { $0 + $1 * $1 }
    var u = 0.5 * zip(w, mw).reduce(0) { $0 + $1.0 * $1.1 } - 0.5 * t * deltaSq
    for i in 0..<d { u += delta[i] * x[i] }
    let grad = zip(mw, delta).map { $0 + $1 }
    let dt = -0.5 * grad.reduce(0) { $0 + $1 * $1 }
    return (u, grad, dt)
  }

  public func valueAndGradient(_ z: Variable<Scalar>) -> (u: Variable<Scalar>, g: Variable<Scalar>) {
    let zv = z.value, d = dimension
    precondition(zv.columns == d + 1, "GaussianPotential expects rows [x; t] with \(d + 1) columns")
    var u = Tensor<Scalar>.zeros(rows: zv.rows, columns: 1)
    var g = Tensor<Scalar>.zeros(rows: zv.rows, columns: d + 1)
    for i in 0..<zv.rows {
      let row = zv.row(i).map { Double($0) }
      let e = evaluate(x: Array(row[0..<d]), t: row[d])
      u[i, 0] = Scalar(e.u)
      for k in 0..<d { g[i, k] = Scalar(e.gradient[k]) }
      g[i, d] = Scalar(e.dt)
    }
    return (z.tape.constant(u), z.tape.constant(g))
  }

  public func value(_ z: Variable<Scalar>) -> Variable<Scalar> { valueAndGradient(z).u }
}
