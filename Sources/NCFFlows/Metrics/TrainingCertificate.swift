import NCFTensor
import NCFAutodiff
import NCFTransport

/// Held-out evidence of what a model has learned, measured on samples it
/// was not trained on (user units). Stored in model files.
public struct TrainingCertificate: Sendable, Equatable, Codable {
  /// Mean squared implicit-HJ residual on held-out collocation points
  /// (model units; 0 for an exact viscosity solution).
  public var hjResidual: Double
  /// Squared energy distance between T♯(held-out source) and held-out target (U-statistic).
  public var forwardEnergyDistance: Double
  /// Squared energy distance between S♯(held-out target) and held-out source.
  public var backwardEnergyDistance: Double
  /// Mean transport cost E c(x, T(x)) over the held-out source (nil for a custom Hamiltonian).
  public var transportCost: Double?
  /// Held-out points per side.
  public var samples: Int
  /// The training step at which this was measured.
  public var step: Int
  /// How a run on fixed samples chose the step it returned (nil: the last
  /// step was kept, by the rule ``NCFTrainingConfiguration/CheckpointRule/last``,
  /// for samplers, or for too few held-out points).
  public var checkpoint: CheckpointChoice?

  public init(
    hjResidual: Double, forwardEnergyDistance: Double, backwardEnergyDistance: Double, transportCost: Double?,
    samples: Int, step: Int
  ) {
    self.hjResidual = hjResidual
    self.forwardEnergyDistance = forwardEnergyDistance
    self.backwardEnergyDistance = backwardEnergyDistance
    self.transportCost = transportCost
    self.samples = samples
    self.step = step
  }

  /// Measures `model` on held-out `source` and `target` samples (user units):
  /// both energy distances (U-statistic), the transport cost, and the mean
  /// squared implicit-HJ residual at the source points moved along their
  /// characteristics to seeded random times.
  /// - Complexity: O((n + m)²·d) for the energy distances, plus three network passes.
  public init(measuring model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, step: Int) {
    self.init(model, source: source, target: target, forward: model.forward(source), backward: model.backward(target),
              step: step)
  }

  /// ``init(measuring:source:target:step:)`` for results a command prints:
  /// the maps checked row by row, then every quantity.
  /// - Throws: ``NonFiniteResultError`` naming the first source or target
  ///   row whose image is NaN or ±∞, or the first quantity that is.
  public init(checking model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, step: Int) throws(NonFiniteResultError) {
    self.init(model, source: source, target: target, forward: try model.checkedForward(source),
              backward: try model.checkedBackward(target), step: step)
    try requireFinite()
  }

  /// The certificate from the maps of `source` and `target`.
  private init(
    _ model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, forward: Tensor<Double>, backward: Tensor<Double>,
    step: Int
  ) {
    let energy = EnergyDistance(estimator: .uStatistic)
    self.init(hjResidual: model.hjResidual(alongCharacteristicsOf: source), forwardEnergyDistance: energy(forward, target).value,
              backwardEnergyDistance: energy(backward, source).value,
              transportCost: model.meanTransportCost(from: source, to: forward), samples: source.rows, step: step)
  }
}

extension NCFModel {
  /// The mean squared implicit-HJ residual (model units) at the points x₀ +
  /// t∇h(∇u(x₀, 0)) for every row x₀ of `x` (user units), at seeded random
  /// times t ~ U[0, t_f]: where the forward map travels.
  public func hjResidual(alongCharacteristicsOf x: Tensor<Double>) -> Double {
    var rng = SeededRandom(seed: 0xCE27)
    let xm = normalization.normalize(x).converted(to: Float.self)
    let tf = terminalTime
    let tape = Tape<Float>()
    let u = NetworkPotential(network: network, parameters: parameters, variables: parameters.constants(on: tape))
    let v0 = NCFLosses.forwardMap(u, x: tape.constant(xm), terminalTime: tf, hamiltonian: hamiltonian).velocity.value
    var cx = xm
    var ct = Tensor<Float>.zeros(rows: xm.rows, columns: 1)
    for i in 0..<xm.rows {
      let t = Float(rng.uniform(0, tf))
      ct[i, 0] = t
      for k in 0..<xm.columns { cx[i, k] += t * v0[i, k] }
    }
    let hj = NCFLosses.implicitHJ(u, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: hamiltonian).loss
    return Double(hj.value.scalar)
  }

  /// The mean transport cost E c(x, T(x)) of points `x` and their images
  /// `tx` (user units), c(x, y) = t_f·L((y − x)/t_f) (= the ``Cost`` for
  /// t_f = 1); nil for a custom Hamiltonian.
  /// - Complexity: O(n·d).
  public func meanTransportCost(from x: Tensor<Double>, to tx: Tensor<Double>) -> Double? {
    guard let h = cost?.hamiltonian else { return nil }
    let total = (0..<x.rows).reduce(0.0) { $0 + h.cost(from: x.row($1), to: tx.row($1), terminalTime: terminalTime) }
    return total / Double(max(x.rows, 1))
  }
}
