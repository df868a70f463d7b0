import NCFTensor
import NCFAutodiff
import NCFNetworks

/// The architecture of the potential u_θ(x, t): an MLP on z = [x; t], plus
/// an optional *Gaussian head* with the exact form of the quadratic-cost
/// solution between two Gaussians,
///
///     q(x, t) = ½ wᵀP(t)w + δᵀx − (t/2)|δ|² + c·t,   w = x − m − tδ,
///     P(t) = A₀ + tA₁ + t²A₂ + t³A₃   (each Aₖ symmetrised)
///
/// For Gaussians the exact potential is this with P(t) = B(I + tB)⁻¹
/// (B = Γ − I), which the cubic matches to a few 10⁻⁴ on [0, t_f]; c·t
/// carries the −t·h(p) term of a translation under a non-quadratic cost.
///
/// Why a head at all: optimal-transport potentials grow like |x|², but a
/// tanh or softplus MLP saturates or grows linearly away from the data, so
/// the maps were worst in the tails, where training samples are rare (on
/// the d = 2 Gaussian benchmark about 90 % of the UVP came from points
/// beyond 2σ). The head carries the growth; the MLP learns what is not
/// Gaussian. With ``HeadInitialization/moments`` it starts from the
/// closed-form solution for the samples' means and covariances.
public struct PotentialNetwork: Sendable, Equatable, Codable {
  /// The network on [x; t].
  public var mlp: MLP
  /// Whether the Gaussian head is present.
  public var quadraticHead: Bool

  public init(mlp: MLP, quadraticHead: Bool) {
    self.mlp = mlp
    self.quadraticHead = quadraticHead
  }

  /// Space dimension d.
  public var dimension: Int { mlp.inputDimension - 1 }

  /// Names of the head's parameters: `head.A0` … `head.A3` (d×d),
  /// `head.m`, `head.delta` (d×1) and `head.c` (1×1).
  public static let headParameterNames = ["head.A0", "head.A1", "head.A2", "head.A3", "head.m", "head.delta", "head.c"]

  /// Parameter names: the MLP's, then the head's.
  public var parameterNames: [String] { mlp.parameterNames + (quadraticHead ? Self.headParameterNames : []) }

  /// Total number of trainable scalars.
  public var parameterCount: Int {
    let d = dimension
    return mlp.parameterCount + (quadraticHead ? 4 * d * d + 2 * d + 1 : 0)
  }

  /// Seeded initial parameters (head at zero).
  public func initialParameters<S: TensorScalar>(seed: UInt64, outputScale: Double = 1, as: S.Type = S.self) -> ParameterSet<S> {
    var p: ParameterSet<S> = mlp.initialParameters(seed: seed, outputScale: outputScale)
    if quadraticHead {
      let d = dimension
      for name in Self.headParameterNames {
        p.append(name, name == "head.c" ? .zeros(rows: 1, columns: 1) : .zeros(rows: d, columns: name.hasPrefix("head.A") ? d : 1))
      }
    }
    return p
  }

  /// Checks that `parameters` fit this architecture; returns the problem, if any.
  public func validate<S>(_ parameters: ParameterSet<S>) -> String? {
    guard parameters.names == parameterNames else { return "parameter names do not match the architecture" }
    var mlpPart = ParameterSet<S>()
    for (n, t) in zip(parameters.names, parameters.tensors).prefix(mlp.parameterNames.count) { mlpPart.append(n, t) }
    if let m = mlp.validate(mlpPart) { return m }
    if quadraticHead {
      let d = dimension
      for (name, t) in zip(Self.headParameterNames, parameters.tensors.suffix(Self.headParameterNames.count)) {
        let (r, c) = name == "head.c" ? (1, 1) : (d, name.hasPrefix("head.A") ? d : 1)
        if t.rows != r || t.columns != c { return "\(name) is \(t.rows)×\(t.columns), expected \(r)×\(c)" }
      }
    }
    return nil
  }

  /// u(z) and ∇_z u(z) on the tape (z = [x; t], B×(d+1)): the fused MLP op
  /// plus the quadratic head written with tape ops (whose first-order
  /// pullbacks already give its second-order terms).
  public func valueAndGradient<S: TensorScalar>(
    _ z: Variable<S>, parameters: ParameterSet<S>, variables: [Variable<S>]
  ) -> (u: Variable<S>, g: Variable<S>) {
    let k = mlp.parameterNames.count
    let (u, g) = mlp.valueAndInputGradient(z, parameters: mlpParameters(parameters), variables: Array(variables.prefix(k)))
    guard quadraticHead else { return (u, g) }
    let q = quadratic(z, Array(variables[k...]), withGradient: true)
    return (u + q.value, g + q.gradient!)
  }

  /// u(z) alone on the tape.
  public func value<S: TensorScalar>(_ z: Variable<S>, parameters: ParameterSet<S>, variables: [Variable<S>]) -> Variable<S> {
    let k = mlp.parameterNames.count
    let u = mlp.value(z, parameters: mlpParameters(parameters), variables: Array(variables.prefix(k)))
    guard quadraticHead else { return u }
    return u + quadratic(z, Array(variables[k...]), withGradient: false).value
  }

  func mlpParameters<S>(_ p: ParameterSet<S>) -> ParameterSet<S> {
    guard quadraticHead else { return p }
    var out = ParameterSet<S>()
    for (n, t) in zip(p.names, p.tensors).prefix(mlp.parameterNames.count) { out.append(n, t) }
    return out
  }

  /// q(x, t) and, when asked, ∇_z q = [P(t)w + δ, ½wᵀP′(t)w − δᵀP(t)w − ½|δ|² + c].
  func quadratic<S>(_ z: Variable<S>, _ v: [Variable<S>], withGradient: Bool) -> (value: Variable<S>, gradient: Variable<S>?) {
    let d = dimension
    let x = z.columns(0..<d), t = z.columns(d..<(d + 1))
    let t2 = t * t, t3 = t2 * t
    let mRow = v[4].transposed(), deltaRow = v[5].transposed(), c = v[6]
    let w = x - mRow - t * deltaRow
    let aw = (0..<4).map { k in matmul(w, (v[k] + v[k].transposed()) * S(0.5)) }
    let pw = aw[0] + t * aw[1] + t2 * aw[2] + t3 * aw[3]
    let deltaSquared = (deltaRow * deltaRow).sum()
    let value = (w * pw).sum(alongAxis: 1) * S(0.5) + matmul(x, v[5]) + t * (c - deltaSquared * S(0.5))
    guard withGradient else { return (value, nil) }
    let dpw = aw[1] + t * aw[2] * S(2) + t2 * aw[3] * S(3)
    let gt = (w * dpw).sum(alongAxis: 1) * S(0.5) - (pw * deltaRow).sum(alongAxis: 1) + (c - deltaSquared * S(0.5))
    return (value, concatenateColumns([pw + deltaRow, gt]))
  }
}
