import Foundation
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport

/// Held-out evidence of what a model has learned, measured on samples it
/// was not trained on (user units).
public struct TrainingCertificate: Sendable, Equatable, Codable {
  /// Mean squared implicit-HJ residual on held-out collocation points
  /// (model units; 0 for an exact viscosity solution).
  public var hjResidual: Double
  /// Squared energy distance between T♯(held-out source) and held-out target (U-statistic).
  public var forwardEnergyDistance: Double
  /// Squared energy distance between S♯(held-out target) and held-out source.
  public var backwardEnergyDistance: Double
  /// Mean transport cost E c(x, T(x)) over the held-out source.
  public var transportCost: Double?
  /// Held-out points per side.
  public var samples: Int
  /// The training step at which this was measured.
  public var step: Int
}

/// One progress report from the trainer.
public struct TrainingProgress: Sendable {
  public var step: Int
  public var iterations: Int
  public var learningRate: Double
  /// The HJ term (implicit or PINN) on this step's batch.
  public var hjLoss: Double
  /// The squared energy distance on this step's batch (or class average).
  public var energyDistance: Double
  /// hjLoss + λ·energyDistance (+ λ·backwardLambda·backward energy distance
  /// when that term is on).
  public var totalLoss: Double
  /// Global gradient norm before clipping.
  public var gradientNorm: Double
  /// Seconds since training started.
  public var elapsed: Double
  /// Present on validation steps.
  public var validation: TrainingCertificate?
}

/// Why training stopped early.
public enum NCFTrainingError: Error, CustomStringConvertible {
  case invalidConfiguration(String)
  case invalidProblem(String)
  /// The loss or a gradient became NaN or infinite; `lastGood` holds the
  /// model from the last step whose loss was finite.
  case nonFiniteLoss(step: Int, hjLoss: Double, energyDistance: Double, lastGood: NCFModel)

  public var description: String {
    switch self {
    case .invalidConfiguration(let m): return "invalid training settings: \(m)"
    case .invalidProblem(let m): return "invalid problem: \(m)"
    case .nonFiniteLoss(let step, let hj, let ed, _):
      return "the loss became non-finite at step \(step) (HJ \(hj), energy \(ed)); the last good parameters were kept — try a smaller learning rate or λ"
    }
  }
}

/// The outcome of training.
public struct NCFTrainingResult: Sendable {
  public var model: NCFModel
  /// Progress reports, one per log interval.
  public var history: [TrainingProgress]
  /// Steps actually taken (less than requested when stopped by the caller).
  public var steps: Int
  public var stoppedEarly: Bool
  public var seconds: Double
}

/// Trains an ``NCFModel`` by minimising L_HJ + λ·L_energy with Adam.
///
/// Each step draws fresh minibatches (from sampler closures or without
/// replacement from fixed arrays), evaluates the fused network op on the
/// source batch at t = 0 (the forward map, for the energy term) and on the
/// collocation batch (for the HJ term), and back-propagates through both,
/// including the momentum inside the shifted argument of u(·, 0).
public struct NCFTrainer {
  public var configuration: NCFTrainingConfiguration
  /// The cost; use ``init(configuration:hamiltonian:)`` for a custom one.
  public var cost: CostSpec?
  public var hamiltonian: any Hamiltonian

  public init(configuration: NCFTrainingConfiguration = .init(), cost: CostSpec = .quadratic) {
    self.configuration = configuration
    self.cost = cost
    self.hamiltonian = cost.hamiltonian
  }

  /// A trainer for a user-supplied Hamiltonian. Its model is normalised by a
  /// shift only (a general h need not be homogeneous) and cannot be saved.
  public init(configuration: NCFTrainingConfiguration = .init(), hamiltonian: any Hamiltonian) {
    self.configuration = configuration
    self.cost = nil
    self.hamiltonian = hamiltonian
  }

  /// Trains on `problem`.
  /// - Parameters:
  ///   - progress: called every `logInterval` steps (and on validation steps);
  ///     return false to stop training early (the model so far is returned).
  ///   - shouldStop: polled every step (e.g. a Ctrl-C flag); true stops early.
  /// - Throws: ``NCFTrainingError``.
  public func train(
    _ problem: NCFProblem,
    progress: ((TrainingProgress) -> Bool)? = nil,
    shouldStop: (() -> Bool)? = nil
  ) throws -> NCFTrainingResult {
    let config = configuration
    if let m = config.validationError() { throw NCFTrainingError.invalidConfiguration(m) }
    if let m = problem.validationError() { throw NCFTrainingError.invalidProblem(m) }
    let start = Date()
    let d = problem.dimension
    var rng = SeededRandom(seed: config.seed)
    var dataRNG = rng.split(stream: 1)
    var collocationRNG = rng.split(stream: 2)
    let initSeed = rng.next()

    // Training and held-out data.
    var sourceData = DataStream(problem.source, labels: problem.sourceLabels, holdOut: config.validationSize, rng: &dataRNG)
    var targetData = DataStream(problem.target, labels: problem.targetLabels, holdOut: config.validationSize, rng: &dataRNG)
    let (fitSource, fitTarget) = (sourceData.fitSample(rng: &dataRNG), targetData.fitSample(rng: &dataRNG))
    let normalization = config.normalize
      ? (cost == nil ? Normalization.shiftOnly(fitSource, fitTarget) : Normalization.fitted(fitSource, fitTarget))
      : Normalization.identity(dimension: d)
    let box = BoundingBox([normalization.normalize(fitSource), normalization.normalize(fitTarget)], margin: config.collocation.boxMargin)
    let classes = sourceData.classes

    let network = PotentialNetwork(
      mlp: MLP(inputDimension: d + 1, hiddenWidths: Array(repeating: config.width, count: config.depth),
               activation: config.activation, residual: config.residual),
      quadraticHead: config.quadraticHead)
    var parameters: ParameterSet<Float> = network.initialParameters(seed: initSeed, outputScale: 0.1)
    if config.quadraticHead && config.headInitialization == .moments,
       let head = HeadInitializer.moments(source: normalization.normalize(fitSource), target: normalization.normalize(fitTarget),
                                          cost: cost, terminalTime: config.terminalTime) {
      // Start exactly at the closed-form solution: the MLP's output layer at zero.
      parameters = network.initialParameters(seed: initSeed, outputScale: 0)
      for (name, value) in head { parameters[name] = value.converted(to: Float.self) }
    }
    var adam = Adam<Float>(weightDecay: config.weightDecay, gradientClipNorm: config.gradientClipNorm)
    let headScale = config.headLearningRateScale / Double(d)
    adam.learningRateScales = parameters.names.map { $0.hasPrefix("head.") ? headScale : 1 }
    let schedule = config.learningRateSchedule
    let tf = config.terminalTime

    func makeModel(_ p: ParameterSet<Float>, certificate: TrainingCertificate? = nil) -> NCFModel {
      NCFModel(network: network, parameters: p, hamiltonian: hamiltonian, cost: cost, terminalTime: tf,
               normalization: normalization, configuration: config, certificate: certificate)
    }

    var averaged = parameters
    var history: [TrainingProgress] = []
    var stoppedEarly = false
    var step = 0
    while step < config.iterations {
      if shouldStop?() == true { stoppedEarly = true; break }
      let logging = (step + 1) % config.logInterval == 0 || step + 1 == config.iterations
      let (xBatch, xLabels) = sourceData.batch(config.energyBatch, rng: &dataRNG)
      let (yBatch, yLabels) = targetData.batch(config.energyBatch, rng: &dataRNG)
      let x = normalization.normalize(xBatch).converted(to: Float.self)
      let y = normalization.normalize(yBatch).converted(to: Float.self)

      let tape = Tape<Float>()
      let vars = parameters.variables(on: tape)
      let potential = NetworkPotential(network: network, parameters: parameters, variables: vars)

      // Distribution term: energy distance between T♯(source batch) and the target batch.
      let (mapped, momentum0) = NCFLosses.forwardMap(potential, x: tape.constant(x), terminalTime: tf, hamiltonian: hamiltonian)
      let yVar = tape.constant(y)
      // Per class: the source and target batch rows of that class.
      var pairs: [(a: [Int], b: [Int])]?
      if let classes, let xLabels, let yLabels {
        pairs = classes.map { c in (a: xLabels.indices.filter { xLabels[$0] == c }, b: yLabels.indices.filter { yLabels[$0] == c }) }
      }
      let energy: Variable<Float>
      if let pairs {
        energy = NCFLosses.classConditionalEnergyDistance(mapped, yVar, classes: pairs, estimator: config.energyEstimator,
                                                          includeTargetTerm: logging)
      } else {
        energy = NCFLosses.energyDistance(mapped, yVar, estimator: config.energyEstimator, includeTargetTerm: logging)
      }

      // HJ term on collocation points from ϱ.
      let (cx, ct) = collocationPoints(
        config.collocationBatch, source: x, sourceVelocity: hamiltonian.gradient(tape.constant(momentum0.value)).value,
        target: y, network: network, parameters: parameters, box: box, rng: &collocationRNG)
      let cxVar = tape.constant(cx), ctVar = tape.constant(ct)
      let hj = config.hjLoss == .implicit
        ? NCFLosses.implicitHJ(potential, x: cxVar, t: ctVar, hamiltonian: hamiltonian).loss
        : NCFLosses.pinnHJ(potential, x: cxVar, t: ctVar, hamiltonian: hamiltonian).loss
      var total = hj + energy * Float(config.lambda)
      // Optional backward term: energy distance between S♯(target batch) and the source batch.
      var backwardValue = 0.0
      if config.backwardLambda > 0 {
        let pulled = NCFLosses.backwardMap(potential, y: yVar, terminalTime: tf, hamiltonian: hamiltonian)
        let xVar = tape.constant(x)
        let backward: Variable<Float>
        if let pairs {
          backward = NCFLosses.classConditionalEnergyDistance(pulled, xVar, classes: pairs.map { (a: $0.b, b: $0.a) },
                                                              estimator: config.energyEstimator, includeTargetTerm: logging)
        } else {
          backward = NCFLosses.energyDistance(pulled, xVar, estimator: config.energyEstimator, includeTargetTerm: logging)
        }
        total = total + backward * Float(config.lambda * config.backwardLambda)
        backwardValue = Double(backward.value.scalar)
      }
      let grads = tape.gradients(of: total, withRespectTo: vars)

      let hjValue = Double(hj.value.scalar), edValue = Double(energy.value.scalar)
      guard hjValue.isFinite, edValue.isFinite, backwardValue.isFinite, grads.allSatisfy({ $0.isFinite }) else {
        throw NCFTrainingError.nonFiniteLoss(step: step, hjLoss: hjValue, energyDistance: edValue, lastGood: makeModel(averaged))
      }
      let lr = schedule.rate(at: step, base: config.learningRate)
      let gradNorm = adam.update(&parameters, gradients: grads, learningRate: lr)
      step += 1
      if config.weightAveraging > 0 {
        // Debiased EMA: the effective decay ramps up to β, so early steps are not dragged toward θ₀.
        let beta = Float(min(config.weightAveraging, Double(step) / Double(step + 10)))
        for k in 0..<averaged.count {
          averaged.tensors[k].scalars.withUnsafeMutableBufferPointer { a in
            parameters.tensors[k].scalars.withUnsafeBufferPointer { p in
              for i in 0..<a.count { a[i] = beta * a[i] + (1 - beta) * p[i] }
            }
          }
        }
      } else {
        averaged = parameters
      }

      let validating = config.validationInterval > 0 && step % config.validationInterval == 0 && step < config.iterations
      if logging || validating {
        var report = TrainingProgress(
          step: step, iterations: config.iterations, learningRate: lr, hjLoss: hjValue,
          energyDistance: logging ? edValue : .nan, totalLoss: hjValue + config.lambda * (edValue + config.backwardLambda * backwardValue),
          gradientNorm: gradNorm, elapsed: Date().timeIntervalSince(start), validation: nil)
        if validating {
          report.validation = Self.certify(makeModel(averaged), source: sourceData.heldOut, target: targetData.heldOut, step: step)
        }
        history.append(report)
        if let progress, !progress(report) { stoppedEarly = true; break }
      }
    }
    let certificate = Self.certify(makeModel(averaged), source: sourceData.heldOut, target: targetData.heldOut, step: step)
    return NCFTrainingResult(
      model: makeModel(averaged, certificate: certificate), history: history, steps: step,
      stoppedEarly: stoppedEarly, seconds: Date().timeIntervalSince(start))
  }

  /// Draws the collocation batch (model units): box points, source points
  /// pushed along the current characteristics, target points pulled back.
  func collocationPoints(
    _ n: Int, source x: Tensor<Float>, sourceVelocity v0: Tensor<Float>, target y: Tensor<Float>,
    network: PotentialNetwork, parameters: ParameterSet<Float>, box: BoundingBox, rng: inout SeededRandom
  ) -> (x: Tensor<Float>, t: Tensor<Float>) {
    let c = configuration.collocation
    let tf = configuration.terminalTime
    let (nBox, nPush, nPull) = c.counts(n)
    let d = x.columns
    var points = Tensor<Float>.zeros(rows: n, columns: d)
    var times = Tensor<Float>.zeros(rows: n, columns: 1)
    for i in 0..<n { times[i, 0] = Float(rng.uniform(0, tf)) }
    let boxPoints: Tensor<Float> = box.sample(nBox, using: &rng)
    for i in 0..<nBox { for k in 0..<d { points[i, k] = boxPoints[i, k] } }
    // Pushed: x₀ + t∇h(p₀), reusing the momenta of the energy batch (detached).
    for r in 0..<nPush {
      let i = nBox + r, j = r % x.rows
      for k in 0..<d { points[i, k] = x[j, k] + times[i, 0] * v0[j, k] }
    }
    // Pulled back: y − (t_f − t)∇h(∇u(y, t_f)).
    if nPull > 0 {
      let rowsNeeded = min(nPull, y.rows)
      let ySub = y.rows(0..<rowsNeeded)
      let tape = Tape<Float>()
      let potential = NetworkPotential(network: network, parameters: parameters, variables: parameters.constants(on: tape))
      let v1 = NCFLosses.displacement(potential, x: tape.constant(ySub), evaluateAt: tf, step: 1, hamiltonian: hamiltonian).value
      for r in 0..<nPull {
        let i = nBox + nPush + r, j = r % rowsNeeded
        let back = Float(tf) - times[i, 0]
        for k in 0..<d { points[i, k] = ySub[j, k] - back * v1[j, k] }
      }
    }
    if c.jitter > 0 {
      for i in nBox..<n { for k in 0..<d { points[i, k] += Float(c.jitter * rng.normal()) } }
    }
    return (points, times)
  }

  /// Measures the certificate of `model` on held-out samples (user units).
  public static func certify(_ model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, step: Int) -> TrainingCertificate {
    let forward = model.forward(source)
    let backward = model.backward(target)
    let energy = EnergyDistance(estimator: .uStatistic)
    let fe = energy(forward, target).value
    let be = energy(backward, source).value
    // HJ residual on points pushed from the held-out source at seeded random times.
    var rng = SeededRandom(seed: 0xCE27)
    let xm = model.normalization.normalize(source).converted(to: Float.self)
    let tf = model.terminalTime
    let tape = Tape<Float>()
    let potential = NetworkPotential(network: model.network, parameters: model.parameters,
                                     variables: model.parameters.constants(on: tape))
    let (_, p0) = NCFLosses.forwardMap(potential, x: tape.constant(xm), terminalTime: tf, hamiltonian: model.hamiltonian)
    let v0 = model.hamiltonian.gradient(tape.constant(p0.value)).value
    var cx = xm
    var ct = Tensor<Float>.zeros(rows: xm.rows, columns: 1)
    for i in 0..<xm.rows {
      let t = Float(rng.uniform(0, tf))
      ct[i, 0] = t
      for k in 0..<xm.columns { cx[i, k] += t * v0[i, k] }
    }
    let hj = NCFLosses.implicitHJ(potential, x: tape.constant(cx), t: tape.constant(ct), hamiltonian: model.hamiltonian).loss
    var cost: Double? = nil
    if let c = model.cost {
      let h = c.hamiltonian
      cost = (0..<source.rows).reduce(0.0) { $0 + h.cost(from: source.row($1), to: forward.row($1), terminalTime: tf) }
        / Double(max(source.rows, 1))
    }
    return TrainingCertificate(hjResidual: Double(hj.value.scalar), forwardEnergyDistance: fe, backwardEnergyDistance: be,
                               transportCost: cost, samples: source.rows, step: step)
  }
}

/// Minibatches from a ``SampleSource``, with a held-out validation split.
///
/// Fixed samples: min(holdOut, n/10) rows (at least 2 when n ≥ 20, else none
/// and validation reuses training rows) are set aside; batches are drawn
/// without replacement from the rest, reshuffled each pass, per class when labelled.
struct DataStream {
  let source: SampleSource
  private(set) var heldOut: Tensor<Double>
  private var training: Tensor<Double>?
  private var labels: [Int]?
  /// Sorted class labels (labelled problems only).
  private(set) var classes: [Int]?
  private var pools: [[Int]] = []
  private var cursors: [Int] = []
  private var orders: [[Int]] = []

  init(_ source: SampleSource, labels: [Int]?, holdOut: Int, rng: inout SeededRandom) {
    self.source = source
    switch source {
    case .samples(let t):
      let n = t.rows
      let hold = n >= 20 ? max(2, min(holdOut, n / 10)) : 0
      let perm = rng.permutation(n)
      let heldIdx = Array(perm[0..<hold]), trainIdx = Array(perm[hold...])
      heldOut = hold > 0 ? t.gathering(rows: heldIdx) : t
      // Class-conditional data keep every row for training (classes can be small).
      if let labels {
        training = t
        self.labels = labels
        let cs = Array(Set(labels)).sorted()
        classes = cs
        pools = cs.map { c in labels.indices.filter { labels[$0] == c } }
      } else {
        training = t.gathering(rows: trainIdx)
        pools = [Array(0..<trainIdx.count)]
      }
      orders = pools
      cursors = Array(repeating: Int.max, count: pools.count)
    case .sampler(_, let f):
      heldOut = f(holdOut, &rng)
      training = nil
    }
  }

  /// Samples drawn from a sampler to fit the normalisation, the collocation
  /// box and the head's moments: 65 536 rows estimate a 64×64 covariance to
  /// about 3 % (the moment initialisation's error shrinks like 1/n).
  static let fitSampleSize = 65_536

  /// A large sample for fitting the normalisation and the collocation box.
  func fitSample(rng: inout SeededRandom) -> Tensor<Double> {
    if let training { return training }
    if case .sampler(_, let f) = source { return f(Self.fitSampleSize, &rng) }
    return heldOut
  }

  /// The next minibatch of n rows (user units) and their labels.
  mutating func batch(_ n: Int, rng: inout SeededRandom) -> (Tensor<Double>, [Int]?) {
    if case .sampler(_, let f) = source { return (f(n, &rng), nil) }
    guard let training else { return (heldOut, nil) }
    let perClass = pools.count > 1 ? max(2, n / pools.count) : n
    var idx: [Int] = []
    for c in 0..<pools.count {
      let take = min(perClass, pools[c].count)
      for _ in 0..<take {
        if cursors[c] >= orders[c].count {
          orders[c] = rng.permutation(pools[c].count).map { pools[c][$0] }
          cursors[c] = 0
        }
        idx.append(orders[c][cursors[c]])
        cursors[c] += 1
      }
    }
    return (training.gathering(rows: idx), labels.map { l in idx.map { l[$0] } })
  }
}
