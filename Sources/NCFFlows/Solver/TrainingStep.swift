import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport

/// One optimisation step's work, from a batch to the loss and its gradients:
///
///     L = L_HJ + λ·E(T♯x, y) [+ λ·w_b·E(S♯y, x)]            (signal `energy`, the paper's)
///     L = L_HJ + λ·(forward half + backward half)          (signal `enot`, ``ExpectileDual``)
///
/// read top to bottom in ``callAsFunction(_:_:fullEnergy:rng:)``. The loop
/// around it (``NCFSolver``) owns the schedule, the optimiser, weight
/// averaging, validation and progress; this type owns everything a step
/// computes, so per-step scratch (reused buffers, fused kernels) belongs here.
///
/// To add a loss term: compute it on the step's tape after the existing
/// terms (recording order fixes the order in which gradients are summed, so
/// keep the existing terms first), add `weight·term` to `total`, report its
/// value in ``Loss``, and give its weight a setting in
/// ``NCFTrainingConfiguration`` whose default (0) leaves the loss unchanged.
struct TrainingStep {
  let network: PotentialNetwork
  let hamiltonian: any Hamiltonian
  let settings: NCFTrainingConfiguration
  /// The collocation box (model units).
  let box: BoundingBox

  /// What a step measured.
  struct Loss {
    /// The HJ term (implicit or PINN).
    var hj: Double
    /// The forward energy distance E(T♯x, y) (without its target term unless `fullEnergy`).
    var energy: Double
    /// The backward energy distance E(S♯y, x) (0 when that term is off).
    var backwardEnergy: Double
    /// The total loss L.
    var total: Double
    /// The expectile dual's forward and backward values mean(φ + φ̂), each an
    /// estimate of the transport cost (nil for the energy signal).
    var dualValues: (forward: Double, backward: Double)?
    /// ∂L/∂θ, one tensor per parameter.
    var gradients: [Tensor<Float>]

    /// Whether every value and gradient is finite.
    var isFinite: Bool { hj.isFinite && total.isFinite && gradients.allSatisfy(\.isFinite) }
  }

  /// The loss and gradients at `parameters` on `batch`.
  /// - Parameters:
  ///   - fullEnergy: include the energy terms' model-independent parts
  ///     (E‖y − y′‖), which cost O(m²) and have no gradient; on for steps that report.
  ///   - rng: the collocation generator.
  func callAsFunction(
    _ parameters: ParameterSet<Float>, _ batch: TrainingBatch, fullEnergy: Bool, rng: inout SeededRandom
  ) -> Loss {
    switch settings.signal {
    case .energy: return energyStep(parameters, batch, fullEnergy: fullEnergy, rng: &rng)
    case .enot: return expectileDualStep(parameters, batch, rng: &rng)
    }
  }

  /// The paper's loss: L_HJ + λ·E(T♯x, y) [+ λ·w_b·E(S♯y, x)].
  private func energyStep(
    _ parameters: ParameterSet<Float>, _ batch: TrainingBatch, fullEnergy: Bool, rng: inout SeededRandom
  ) -> Loss {
    let s = settings, tf = s.terminalTime
    let tape = Tape<Float>()
    let theta = parameters.variables(on: tape)
    let u = NetworkPotential(network: network, parameters: parameters, variables: theta)

    // Distribution term: energy distance between T♯(source batch) and the target batch.
    let (mapped, velocity) = NCFLosses.forwardMap(u, x: tape.constant(batch.x), terminalTime: tf, hamiltonian: hamiltonian)
    let y = tape.constant(batch.y)
    let energy = NCFLosses.energyDistance(
      mapped, y, classes: batch.classes, estimator: s.energyEstimator, includeTargetTerm: fullEnergy)

    // HJ term on collocation points drawn from ϱ (data: no gradient flows through them).
    let (cx, ct) = s.collocation.sample(
      s.collocationBatch, in: box, source: batch.x, sourceVelocity: velocity.value, target: batch.y,
      targetVelocity: { self.targetVelocity($0, parameters: parameters) }, terminalTime: tf, rng: &rng)
    let hj = s.hjLoss == .implicit
      ? NCFLosses.implicitHJ(u, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: hamiltonian).loss
      : NCFLosses.pinnHJ(u, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: hamiltonian).loss
    var total = hj + energy * Float(s.lambda)

    // Optional backward term: energy distance between S♯(target batch) and the source batch.
    var backwardEnergy = 0.0
    if s.backwardLambda > 0 {
      let pulled = NCFLosses.backwardMap(u, y: y, terminalTime: tf, hamiltonian: hamiltonian)
      let backward = NCFLosses.energyDistance(
        pulled, tape.constant(batch.x), classes: batch.reversedClasses, estimator: s.energyEstimator,
        includeTargetTerm: fullEnergy)
      total = total + backward * Float(s.lambda * s.backwardLambda)
      backwardEnergy = Double(backward.value.scalar)
    }

    let (hjValue, energyValue) = (Double(hj.value.scalar), Double(energy.value.scalar))
    return Loss(hj: hjValue, energy: energyValue, backwardEnergy: backwardEnergy,
                total: hjValue + s.lambda * (energyValue + s.backwardLambda * backwardEnergy), dualValues: nil,
                gradients: tape.gradients(of: total, withRespectTo: theta))
  }

  /// L_HJ + λ·(forward half + backward half) of the expectile dual, source
  /// and target rows paired by index. The HJ term is the same as the energy
  /// signal's, with full gradients (detaching its u(·, 0) evaluation made
  /// training diverge in the research runs, docs/research/w2-experiments.md E1).
  private func expectileDualStep(_ parameters: ParameterSet<Float>, _ batch: TrainingBatch, rng: inout SeededRandom) -> Loss {
    let s = settings, tf = s.terminalTime
    let tape = Tape<Float>()
    let theta = parameters.variables(on: tape)
    let u = NetworkPotential(network: network, parameters: parameters, variables: theta)
    // sg(θ): the potential inside the amortisation terms.
    let frozen = NetworkPotential(network: network, parameters: parameters, variables: parameters.constants(on: tape))
    let x = tape.constant(batch.x), y = tape.constant(batch.y)

    // Both maps on the tape; their velocities also place the collocation points.
    let (mapped, velocity) = NCFLosses.forwardMap(u, x: x, terminalTime: tf, hamiltonian: hamiltonian)
    let targetVelocity = NCFLosses.velocity(u, x: y, evaluateAt: tf, hamiltonian: hamiltonian)
    let pulled = y - targetVelocity * Float(tf)
    let forward = ExpectileDual.half(
      .forward, u, frozen: frozen, mapped: mapped, from: x, to: y, terminalTime: tf, expectile: s.expectile,
      expectileWeight: s.expectileWeight)
    let backward = ExpectileDual.half(
      .backward, u, frozen: frozen, mapped: pulled, from: y, to: x, terminalTime: tf, expectile: s.expectile,
      expectileWeight: s.expectileWeight)

    let v1 = targetVelocity.value
    let (cx, ct) = s.collocation.sample(
      s.collocationBatch, in: box, source: batch.x, sourceVelocity: velocity.value, target: batch.y,
      targetVelocity: { $0.rows == v1.rows ? v1 : v1.rows(0..<$0.rows) }, terminalTime: tf, rng: &rng)
    let hj = s.hjLoss == .implicit
      ? NCFLosses.implicitHJ(u, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: hamiltonian).loss
      : NCFLosses.pinnHJ(u, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: hamiltonian).loss
    let total = hj + (forward.loss + backward.loss) * Float(s.lambda)
    return Loss(hj: Double(hj.value.scalar), energy: .nan, backwardEnergy: .nan, total: Double(total.value.scalar),
                dualValues: (forward.dualValue, backward.dualValue),
                gradients: tape.gradients(of: total, withRespectTo: theta))
  }

  /// ∇h(∇ₓu(y, t_f)) at the current parameters, off the step's tape.
  private func targetVelocity(_ y: Tensor<Float>, parameters: ParameterSet<Float>) -> Tensor<Float> {
    let tape = Tape<Float>()
    let u = NetworkPotential(network: network, parameters: parameters, variables: parameters.constants(on: tape))
    return NCFLosses.displacement(u, x: tape.constant(y), evaluateAt: settings.terminalTime, step: 1,
                                  hamiltonian: hamiltonian).value
  }
}
