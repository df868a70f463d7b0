import NCFTensor
import NCFAutodiff
import NCFTransport

/// The NCF loss terms, written against ``Potential`` so that a closed-form
/// u* goes through exactly the code that trains the network.
///
/// All inputs are in model coordinates. Gradients flow through everything,
/// including the momentum p = ∇ₓu inside the shifted argument of u(·, 0).
public enum NCFLosses {
  /// The implicit Hamilton–Jacobi loss (the implicit solution formula of Park & Osher):
  ///
  ///     L_HJ = mean over (x, t) of ( u(x, t) + t·h(p) − t·pᵀ∇h(p) − u(x − t∇h(p), 0) )²,   p = ∇ₓu(x, t)
  ///
  /// - Parameters:
  ///   - x: collocation points (N×d); t: their times (N×1).
  /// - Returns: the loss (1×1) and the residuals (N×1).
  public static func implicitHJ<P: Potential>(
    _ potential: P, x: Variable<P.Scalar>, t: Variable<P.Scalar>, hamiltonian: any Hamiltonian
  ) -> (loss: Variable<P.Scalar>, residual: Variable<P.Scalar>) {
    let d = x.columns
    let tape = x.tape
    let (u, g) = potential.valueAndGradient(concatenateColumns([x, t]))
    let p = g.columns(0..<d)
    let gradH = hamiltonian.gradient(p)
    let hValue = hamiltonian.value(p)
    let pDotGradH = (p * gradH).sum(alongAxis: 1)
    let shifted = x - t * gradH
    let zeroTime = tape.constant(Tensor<P.Scalar>.zeros(rows: x.rows, columns: 1))
    let u0 = potential.value(concatenateColumns([shifted, zeroTime]))
    let residual = u + t * hValue - t * pDotGradH - u0
    return (residual.squared().mean(), residual)
  }

  /// The HJ-PINN residual loss mean (∂ₜu + h(∇ₓu))², the ablation baseline.
  public static func pinnHJ<P: Potential>(
    _ potential: P, x: Variable<P.Scalar>, t: Variable<P.Scalar>, hamiltonian: any Hamiltonian
  ) -> (loss: Variable<P.Scalar>, residual: Variable<P.Scalar>) {
    let d = x.columns
    let (_, g) = potential.valueAndGradient(concatenateColumns([x, t]))
    let residual = g.columns(d..<(d + 1)) + hamiltonian.value(g.columns(0..<d))
    return (residual.squared().mean(), residual)
  }

  /// The displacement step·∇h(∇ₓu(x, τ)) along the characteristic through
  /// (x, τ): every map is x plus one of these.
  public static func displacement<P: Potential>(
    _ potential: P, x: Variable<P.Scalar>, evaluateAt tau: Double, step: Double, hamiltonian: any Hamiltonian
  ) -> Variable<P.Scalar> {
    velocity(potential, x: x, evaluateAt: tau, hamiltonian: hamiltonian) * P.Scalar(step)
  }

  /// The velocity ∇h(∇ₓu(x, τ)) of the characteristic through (x, τ).
  static func velocity<P: Potential>(
    _ potential: P, x: Variable<P.Scalar>, evaluateAt tau: Double, hamiltonian: any Hamiltonian
  ) -> Variable<P.Scalar> {
    let time = x.tape.constant(Tensor<P.Scalar>(rows: x.rows, columns: 1, repeating: P.Scalar(tau)))
    let (_, g) = potential.valueAndGradient(concatenateColumns([x, time]))
    return hamiltonian.gradient(g.columns(0..<x.columns))
  }

  /// The forward map T(x) = x + t_f∇h(∇ₓu(x, 0)) on the tape, and the
  /// velocities ∇h(∇ₓu(x, 0)) of the characteristics (the collocation
  /// measure and the certificate move points along them).
  public static func forwardMap<P: Potential>(
    _ potential: P, x: Variable<P.Scalar>, terminalTime tf: Double, hamiltonian: any Hamiltonian
  ) -> (mapped: Variable<P.Scalar>, velocity: Variable<P.Scalar>) {
    let v = velocity(potential, x: x, evaluateAt: 0, hamiltonian: hamiltonian)
    return (x + v * P.Scalar(tf), v)
  }

  /// The backward map S(y) = y − t_f∇h(∇ₓu(y, t_f)) on the tape.
  public static func backwardMap<P: Potential>(
    _ potential: P, y: Variable<P.Scalar>, terminalTime tf: Double, hamiltonian: any Hamiltonian
  ) -> Variable<P.Scalar> {
    y + displacement(potential, x: y, evaluateAt: tf, step: -tf, hamiltonian: hamiltonian)
  }

  /// The squared energy distance E(a, b) = 2E‖a − b‖ − E‖a − a′‖ − E‖b − b′‖
  /// (MMD² with kernel −‖x − y‖).
  ///
  /// - Parameter includeTargetTerm: E‖b − b′‖ does not depend on the model;
  ///   pass false to skip its O(m²) cost when only the gradient is needed.
  /// - Complexity: O((n + m)²·d) time, O((n + m)·d) memory.
  public static func energyDistance<S>(
    _ a: Variable<S>, _ b: Variable<S>, estimator: EnergyDistance.Estimator = .uStatistic, includeTargetTerm: Bool = true
  ) -> Variable<S> {
    let exclude = estimator == .uStatistic
    var e = meanPairwiseDistance(a, b) * S(2) - meanPairwiseDistance(a, a, excludingDiagonal: exclude)
    if includeTargetTerm { e = e - meanPairwiseDistance(b, b, excludingDiagonal: exclude) }
    return e
  }

  /// The class-conditional energy distance: the average over classes k of
  /// E(a_k, b_k), where `classes` pairs the rows of each class in a and b.
  /// - Precondition: at least one class; every class has ≥ 2 rows on each side.
  public static func classConditionalEnergyDistance<S>(
    _ a: Variable<S>, _ b: Variable<S>, classes: [(a: [Int], b: [Int])],
    estimator: EnergyDistance.Estimator = .uStatistic, includeTargetTerm: Bool = true
  ) -> Variable<S> {
    precondition(!classes.isEmpty, "class-conditional energy distance needs at least one class")
    var total: Variable<S>? = nil
    for c in classes {
      let e = energyDistance(a.gathering(rows: c.a), b.gathering(rows: c.b), estimator: estimator,
                             includeTargetTerm: includeTargetTerm)
      total = total.map { $0 + e } ?? e
    }
    return total! * S(1 / Double(classes.count))
  }
}

extension NCFLosses {
  /// The distribution term of a batch: E(a, b), or its class-conditional
  /// average when `classes` pairs the rows of each class.
  static func energyDistance<S>(
    _ a: Variable<S>, _ b: Variable<S>, classes: [(a: [Int], b: [Int])]?, estimator: EnergyDistance.Estimator,
    includeTargetTerm: Bool
  ) -> Variable<S> {
    guard let classes else {
      return energyDistance(a, b, estimator: estimator, includeTargetTerm: includeTargetTerm)
    }
    return classConditionalEnergyDistance(a, b, classes: classes, estimator: estimator, includeTargetTerm: includeTargetTerm)
  }
}
