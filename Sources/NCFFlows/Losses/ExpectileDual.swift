import NCFTensor
import NCFAutodiff

/// The expectile-regularised dual of ENOT (Buzun et al., NeurIPS 2024) written
/// on NCF's one potential u(x, t), for the quadratic cost
/// c(a, b) = |a − b|²/(2t_f).
///
/// Both of ENOT's networks are time slices of u: the Kantorovich pair is
/// f(x) = −u(x, 0) on the source and g(y) = u(y, t_f) on the target, and
/// the maps are NCF's T(x) = x + t_f∇ₓu(x, 0) and S(y) = y − t_f∇ₓu(y, t_f).
/// The HJ term ties the two slices together (at the optimum g is the
/// c-transform of f, i.e. u(·, t_f) is the Hopf–Lax transform of u(·, 0)).
///
/// One *half* fits one map M (from points a) and one potential φ (on points
/// b), pairing a and b by row (c_i = c(a_i, b_i)), with sg = stop-gradient
/// and ℓ_τ(r) = (τ if r ≥ 0 else 1 − τ)·r²:
///
///     φ_i  = φ(b_i),   φ̂_i = c(a_i, M̂_i) − φ(M̂_i),   M̂ = sg(M(a))
///     R    = mean ℓ_τ(sg(φ̂ − c) + φ) + mean ℓ_τ(sg(φ − c) + φ̂)      (expectile regulariser)
///     D    = −mean(φ + φ̂)                                          (the dual, to maximise)
///     A    = mean[c(a, M) − φ_sg(θ)(M)]                             (the map's amortisation loss)
///     half = w·R + D + A
///
/// Forward half: M = T, φ = u(·, t_f), a = source, b = target. Backward half:
/// M = S, φ = −u(·, 0), a = target, b = source. The stop-gradients are the
/// method, not an optimisation: R and D move only the potential, A only the
/// map (its potential's parameters are frozen, but the gradient flows
/// through M, and so through the second-order path ∇ₓu → θ).
public enum ExpectileDual {
  /// Which half: the map and potential it fits.
  public enum Direction: Sendable {
    /// Map T from the source, potential g = u(·, t_f) on the target.
    case forward
    /// Map S from the target, potential f = −u(·, 0) on the source.
    case backward
  }

  /// How a stop-gradient point cuts the tape. Training uses ``detach``;
  /// a finite-difference check of the gradient *as implemented* passes a
  /// function that returns values fixed at the base point instead.
  public typealias StopGradient<S: TensorScalar> = (Variable<S>) -> Variable<S>

  /// A constant copy of the value: no gradient flows back through it.
  public static func detach<S>(_ v: Variable<S>) -> Variable<S> { v.tape.constant(v.value) }

  /// One half's terms on the tape.
  public struct Terms<S: TensorScalar> {
    /// w·R + D + A, the half's contribution to the loss (1×1).
    public var loss: Variable<S>
    /// R, the expectile regulariser (≥ 0).
    public var regularizer: Double
    /// mean(φ + φ̂): the dual value, an estimate of the transport cost E c(x, T(x)).
    public var dualValue: Double
    /// A, the amortisation loss.
    public var amortization: Double
  }

  /// One half of the loss.
  ///
  /// - Parameters:
  ///   - u: the potential being trained (parameters as tape variables).
  ///   - frozen: the same potential with its parameters as tape constants
  ///     (sg(θ)): the potential inside A.
  ///   - mapped: M(a) on the tape (T(x) for `.forward`, S(y) for `.backward`),
  ///     computed by the caller so that the map is shared with other terms.
  ///   - a: the points M maps (source for `.forward`, target for `.backward`), model units.
  ///   - b: the points φ is evaluated on, paired with `a` by row.
  ///   - terminalTime: t_f (the cost is |a − b|²/(2t_f)).
  ///   - expectile: τ ∈ (0, 1); ENOT's 0.99 makes R penalise φ + φ̂ > c, i.e.
  ///     pairs that violate the dual constraint, 99 times more than slack.
  ///   - expectileWeight: w.
  ///   - stopGradient: how the stop-gradient points cut the tape (``detach`` when training).
  /// - Precondition: `a`, `b` and `mapped` have the same shape; the potential is
  ///   in the model's coordinates and the Hamiltonian is the quadratic one.
  public static func half<P: Potential>(
    _ direction: Direction, _ u: P, frozen: P, mapped: Variable<P.Scalar>, from a: Variable<P.Scalar>,
    to b: Variable<P.Scalar>, terminalTime: Double, expectile tau: Double, expectileWeight: Double,
    stopGradient: StopGradient<P.Scalar> = detach
  ) -> Terms<P.Scalar> {
    typealias S = P.Scalar
    precondition(a.rows == b.rows && a.columns == b.columns && mapped.rows == a.rows && mapped.columns == a.columns,
                 "the expectile dual pairs a and b by row: they and the map need the same shape")
    let tf = terminalTime
    // φ(z) = u(z, t_f) for the forward half, −u(z, 0) for the backward half.
    let (time, sign): (Double, S) = direction == .forward ? (tf, 1) : (0, -1)
    func phi(_ p: P, _ z: Variable<S>) -> Variable<S> {
      let t = z.tape.constant(Tensor<S>(rows: z.rows, columns: 1, repeating: S(time)))
      return p.value(concatenateColumns([z, t])) * sign
    }
    let mHat = stopGradient(mapped)
    let phiB = phi(u, b)
    let phiHat = cost(a, mHat, terminalTime: tf) - phi(u, mHat)
    let c = stopGradient(cost(a, b, terminalTime: tf))
    let regularizer = expectileLoss(stopGradient(phiHat - c) + phiB, tau: tau).mean()
      + expectileLoss(stopGradient(phiB - c) + phiHat, tau: tau).mean()
    let dual = (phiB + phiHat).mean()
    let amortization = (cost(a, mapped, terminalTime: tf) - phi(frozen, mapped)).mean()
    let loss = regularizer * S(expectileWeight) - dual + amortization
    return Terms(loss: loss, regularizer: Double(regularizer.value.scalar), dualValue: Double(dual.value.scalar),
                 amortization: Double(amortization.value.scalar))
  }

  /// The per-row cost |a − b|²/(2t_f) (N×1).
  public static func cost<S>(_ a: Variable<S>, _ b: Variable<S>, terminalTime tf: Double) -> Variable<S> {
    let diff = a - b
    return (diff * diff).sum(alongAxis: 1) * S(0.5 / tf)
  }

  /// ℓ_τ(r) = (τ if r ≥ 0 else 1 − τ)·r², element-wise: the asymmetric
  /// square whose minimiser over a constant is the τ-expectile. Its
  /// derivative 2(τ or 1 − τ)·r is continuous, its second derivative jumps at 0.
  public static func expectileLoss<S>(_ r: Variable<S>, tau: Double) -> Variable<S> {
    let hi = S(tau), lo = S(1 - tau)
    return r.elementwise("expectile", value: r.value.map { $0 * $0 * ($0 >= 0 ? hi : lo) }) { x, _ in
      x.map { 2 * $0 * ($0 >= 0 ? hi : lo) }
    }
  }
}
