import Testing
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport
import NCFFlows

/// The expectile-dual signal (``ExpectileDual``), differentiated through the
/// network in Double.
///
/// The loss has stop-gradients, so its tape gradient is *not* the derivative
/// of its value. What the tape must give is the derivative of the loss with
/// every stop-gradient point (the detached maps, the detached residuals and
/// the frozen parameters of the amortisation term) held at its value at the
/// base point θ₀. The checks below differentiate exactly that function by
/// finite differences (``Replay`` records the detached values at θ₀ and
/// feeds them back at the perturbed points), and show that removing any one
/// stop-gradient changes the gradient, so the check can fail.
@Suite struct ExpectileDualGradientTests {
  /// Records the values of the stop-gradient points on the first evaluation
  /// and returns those same values, as constants, on every later one.
  final class Replay {
    private var values: [Tensor<Double>] = []
    private var next = 0
    private var recording = true
    /// Indices (in call order) of stop-gradient points to pass through as identities.
    let passThrough: Set<Int>

    init(passThrough: Set<Int> = []) { self.passThrough = passThrough }

    /// Starts a new evaluation of the loss (call before each).
    func rewind() { next = 0 }

    func callAsFunction(_ v: Variable<Double>) -> Variable<Double> {
      defer { next += 1 }
      if passThrough.contains(next) {
        if recording { values.append(v.value) }
        return v
      }
      if recording { values.append(v.value); return v.tape.constant(v.value) }
      return v.tape.constant(values[next])
    }

    /// Ends the recording evaluation.
    func stopRecording() { recording = false }
  }

  struct Setup {
    let network: PotentialNetwork
    let theta0: ParameterSet<Double>
    let x: Tensor<Double>
    let y: Tensor<Double>
  }

  static func setup(activation: Activation, residual: Bool, seed: UInt64) -> Setup {
    let d = 2
    let mlp = MLP(inputDimension: d + 1, hiddenWidths: residual ? [6, 6, 5] : [6, 5], activation: activation, residual: residual)
    let net = PotentialNetwork(mlp: mlp, quadraticHead: true)
    var p0: ParameterSet<Double> = net.initialParameters(seed: seed)
    var rng = SeededRandom(seed: seed + 1)
    for k in (p0.count - 7)..<p0.count {
      p0.tensors[k] = Tensor.normal(rows: p0.tensors[k].rows, columns: p0.tensors[k].columns, standardDeviation: 0.3, using: &rng)
    }
    let x = Tensor<Double>.normal(rows: 5, columns: d, using: &rng)
    let y = Tensor<Double>.normal(rows: 5, columns: d, mean: 1, using: &rng)
    return Setup(network: net, theta0: p0, x: x, y: y)
  }

  /// Both halves as the trainer sums them, plus L_HJ (which shares the
  /// second-order op), with the given stop-gradient and frozen parameters.
  /// - Parameter frozenFollowsTheta: true for the variant whose amortisation
  ///   potential is not frozen (a wrong implementation).
  static func loss(
    _ s: Setup, tape: Tape<Double>, theta: [Variable<Double>], stopGradient: @escaping ExpectileDual.StopGradient<Double>,
    frozenFollowsTheta: Bool = false, tau: Double = 0.9, includeHJ: Bool = true
  ) -> Variable<Double> {
    var p = s.theta0
    p.tensors = theta.map(\.value)
    let h = QuadraticHamiltonian(), tf = 1.0
    let u = NetworkPotential(network: s.network, parameters: p, variables: theta)
    let frozen = frozenFollowsTheta ? u : NetworkPotential(network: s.network, parameters: s.theta0, variables: s.theta0.constants(on: tape))
    let x = tape.constant(s.x), y = tape.constant(s.y)
    let mapped = NCFLosses.forwardMap(u, x: x, terminalTime: tf, hamiltonian: h).mapped
    let pulled = NCFLosses.backwardMap(u, y: y, terminalTime: tf, hamiltonian: h)
    let forward = ExpectileDual.half(.forward, u, frozen: frozen, mapped: mapped, from: x, to: y, terminalTime: tf,
                                     expectile: tau, expectileWeight: 1.3, stopGradient: stopGradient)
    let backward = ExpectileDual.half(.backward, u, frozen: frozen, mapped: pulled, from: y, to: x, terminalTime: tf,
                                      expectile: tau, expectileWeight: 1.3, stopGradient: stopGradient)
    var total = forward.loss + backward.loss
    if includeHJ {
      var rng = SeededRandom(seed: 77)
      let cx = Tensor<Double>.normal(rows: 6, columns: 2, using: &rng), ct = Tensor<Double>.uniform(rows: 6, columns: 1, using: &rng)
      total = total + NCFLosses.implicitHJ(u, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: h).loss
    }
    return total * 0.7
  }

  /// The tape gradient with the trainer's stop-gradients at θ₀.
  static func implementedGradient(_ s: Setup, tau: Double = 0.9) -> [Tensor<Double>] {
    let tape = Tape<Double>()
    let theta = s.theta0.tensors.map { tape.variable($0) }
    let l = loss(s, tape: tape, theta: theta, stopGradient: ExpectileDual.detach, tau: tau)
    return tape.gradients(of: l, withRespectTo: theta)
  }

  /// Finite-difference check of the gradient as implemented: the loss with
  /// every stop-gradient point replayed at its θ₀ value.
  static func checkAsImplemented(_ s: Setup, passThrough: Set<Int> = [], frozenFollowsTheta: Bool = false) -> GradientCheck.Report {
    let replay = Replay(passThrough: passThrough)
    var first = true
    return GradientCheck.check(at: s.theta0.tensors) { tape, theta in
      replay.rewind()
      defer { if first { replay.stopRecording(); first = false } }
      return loss(s, tape: tape, theta: theta, stopGradient: { replay($0) }, frozenFollowsTheta: frozenFollowsTheta)
    }
  }

  static let networks: [(Activation, Bool)] = [(.softplus(beta: 4), false), (.tanh, false), (.silu, true)]

  @Test(arguments: 0..<3)
  func gradientAsImplementedMatchesFiniteDifferences(network: Int) {
    let (activation, residual) = Self.networks[network]
    let s = Self.setup(activation: activation, residual: residual, seed: UInt64(10 + network))
    let report = Self.checkAsImplemented(s)
    #expect(report.maxRelativeError < 1e-6, "\(activation) residual=\(residual): \(report)")
    // The replayed check differentiates the function the trainer's detach defines.
    let analytic = Self.implementedGradient(s)
    let replayTape = Tape<Double>()
    let replay = Replay()
    let theta = s.theta0.tensors.map { replayTape.variable($0) }
    let viaReplay = replayTape.gradients(
      of: Self.loss(s, tape: replayTape, theta: theta, stopGradient: { replay($0) }), withRespectTo: theta)
    for (a, b) in zip(analytic, viaReplay) { #expect(a == b) }
  }

  /// Each stop-gradient matters: passing one through, or letting the
  /// amortisation potential follow θ, changes the gradient far beyond the
  /// check's tolerance — so a missing stop-gradient fails the check above.
  @Test func everyStopGradientChangesTheGradient() {
    let s = Self.setup(activation: .softplus(beta: 4), residual: false, seed: 10)
    let implemented = Self.implementedGradient(s)
    func relativeDifference(_ g: [Tensor<Double>]) -> Double {
      var num = 0.0, den = 0.0
      for (a, b) in zip(g, implemented) {
        for (p, q) in zip(a.scalars, b.scalars) { num += (p - q) * (p - q); den += q * q }
      }
      return (num / den).squareRoot()
    }
    // Stop-gradient points in call order per half: 0 the detached map M̂,
    // 1 the cost (constant anyway), 2 sg(φ̂ − c), 3 sg(φ − c); the backward half's are 4…7.
    for k in [0, 2, 3, 4, 6, 7] {
      let tape = Tape<Double>()
      let theta = s.theta0.tensors.map { tape.variable($0) }
      let replay = Replay(passThrough: [k])
      let g = tape.gradients(of: Self.loss(s, tape: tape, theta: theta, stopGradient: { replay($0) }), withRespectTo: theta)
      #expect(relativeDifference(g) > 1e-3, "stop-gradient \(k) passed through: relative change \(relativeDifference(g))")
    }
    // Not freezing the amortisation potential.
    let tape = Tape<Double>()
    let theta = s.theta0.tensors.map { tape.variable($0) }
    let g = tape.gradients(
      of: Self.loss(s, tape: tape, theta: theta, stopGradient: ExpectileDual.detach, frozenFollowsTheta: true), withRespectTo: theta)
    #expect(relativeDifference(g) > 1e-3, "unfrozen amortisation potential: relative change \(relativeDifference(g))")
  }

  /// The check is able to fail: the finite-difference derivative of the loss
  /// *value* (no replay: every stop-gradient moves with θ) is the gradient of
  /// the variant without stop-gradients, which the tape reproduces, and which
  /// the implemented gradient does not match.
  @Test func withoutStopGradientsTheValueGradientIsADifferentOne() {
    let s = Self.setup(activation: .softplus(beta: 4), residual: false, seed: 11)
    let identity: ExpectileDual.StopGradient<Double> = { $0 }
    let variant = GradientCheck.check(at: s.theta0.tensors) { tape, theta in
      Self.loss(s, tape: tape, theta: theta, stopGradient: identity, frozenFollowsTheta: true)
    }
    #expect(variant.maxRelativeError < 1e-6, "no-stop-gradient variant: \(variant)")
    let implemented = Self.implementedGradient(s)
    let mismatch = GradientCheck.compare(implemented, at: s.theta0.tensors) { tensors in
      let tape = Tape<Double>()
      return Self.loss(s, tape: tape, theta: tensors.map { tape.constant($0) }, stopGradient: ExpectileDual.detach).value.scalar
    }
    #expect(mismatch.maxRelativeError > 1e-2, "the implemented gradient should not be the value's gradient: \(mismatch)")
  }

  /// ℓ_τ and its derivative against finite differences, away from the kink.
  @Test func expectileLossGradient() {
    let r = Tensor<Double>(rows: 6, columns: 1, scalars: [-1.3, -0.4, -0.05, 0.07, 0.5, 2.1])
    for tau in [0.5, 0.9, 0.99] {
      let report = GradientCheck.check(at: [r]) { _, v in ExpectileDual.expectileLoss(v[0], tau: tau).sum() }
      #expect(report.maxRelativeError < 1e-8, "τ = \(tau): \(report)")
    }
    let tape = Tape<Double>()
    let v = ExpectileDual.expectileLoss(tape.constant(r), tau: 0.99).value
    #expect(abs(v[0, 0] - 0.01 * 1.69) < 1e-15 && abs(v[5, 0] - 0.99 * 4.41) < 1e-12)
  }

  /// At the exact Gaussian potential u*, both halves' c-transforms are the
  /// other Kantorovich potential: φ̂ = −u*(x, 0) (forward) and u*(y, 1)
  /// (backward), every pair is dual-feasible (φ̂ᵢ + φⱼ ≤ c(·, ·)), and the dual
  /// value is the mean transport cost of the Brenier map.
  @Test(arguments: [(2, UInt64(2)), (5, 4)])
  func exactSolutionIsAFeasibleOptimalDualPair(d: Int, seed: UInt64) throws {
    let pair = try ClosedFormTests.randomPair(dimension: d, seed: seed)
    let u = GaussianPotential<Double>(pair)
    var rng = SeededRandom(seed: seed + 500)
    let xs: Tensor<Double> = pair.source.sample(40, using: &rng)
    let ys: Tensor<Double> = pair.target.sample(40, using: &rng)
    let tape = Tape<Double>()
    let h = QuadraticHamiltonian()
    let x = tape.constant(xs), y = tape.constant(ys)
    let tx = NCFLosses.forwardMap(u, x: x, terminalTime: 1, hamiltonian: h).mapped
    let sy = NCFLosses.backwardMap(u, y: y, terminalTime: 1, hamiltonian: h)
    let fwd = ExpectileDual.half(.forward, u, frozen: u, mapped: tx, from: x, to: y, terminalTime: 1, expectile: 0.99, expectileWeight: 1)
    let bwd = ExpectileDual.half(.backward, u, frozen: u, mapped: sy, from: y, to: x, terminalTime: 1, expectile: 0.99, expectileWeight: 1)
    func at(_ z: Tensor<Double>, _ t: Double) -> [Double] { (0..<z.rows).map { u.evaluate(x: z.row($0), t: t).u } }
    let u0x = at(xs, 0), u1y = at(ys, 1), u1tx = at(tx.value, 1), u0sy = at(sy.value, 0)
    for i in 0..<40 {
      // Forward c-transform: c(x, T(x)) − u*(T(x), 1) = −u*(x, 0).
      let cT = 0.5 * zip(xs.row(i), tx.value.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
      #expect(abs(cT - u1tx[i] + u0x[i]) < 1e-9)
      let cS = 0.5 * zip(ys.row(i), sy.value.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
      #expect(abs(cS + u0sy[i] - u1y[i]) < 1e-9)
      for j in 0..<40 {
        let c = 0.5 * zip(xs.row(i), ys.row(j)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(u1y[j] - u0x[i] <= c + 1e-9)
      }
    }
    // The dual value mean(φ(b) + φ̂(a)) = mean u*(y, 1) − mean u*(x, 0) for both halves.
    let expected = u1y.reduce(0, +) / 40 - u0x.reduce(0, +) / 40
    #expect(abs(fwd.dualValue - expected) < 1e-9 && abs(bwd.dualValue - expected) < 1e-9)
    #expect(abs(fwd.amortization + u0x.reduce(0, +) / 40) < 1e-9)
  }
}
