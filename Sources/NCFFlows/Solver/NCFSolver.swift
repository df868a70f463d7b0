import Foundation
import NCFTensor
import NCFNetworks
import NCFTransport

/// The NCF solver: trains an ``NCFModel`` for an ``NCFProblem`` by
/// minimising L_HJ + λ·L_energy with Adam. Like ``NetworkSimplex`` and
/// ``Sinkhorn`` on the discrete side, it is a value holding the settings,
/// called with a problem, returning an output:
///
/// ```swift
/// let output = try NCFSolver(settings: settings).solve(NCFProblem(source: x, target: y))
/// let tx = output.model.forward(x)
/// ```
///
/// Each step draws fresh minibatches (from samplers, or without replacement
/// from fixed arrays), computes the loss and its gradients
/// (``TrainingStep``), and takes an Adam step at the scheduled learning
/// rate; the loop also keeps the weight average, validates on held-out
/// samples and reports progress. The same seed and settings give the same
/// model, bit for bit.
public struct NCFSolver: Sendable {
  public var settings: NCFTrainingConfiguration

  public init(settings: NCFTrainingConfiguration = .init()) {
    self.settings = settings
  }

  /// Trains on `problem`.
  /// - Parameters:
  ///   - progress: called every `logInterval` steps (and on validation steps);
  ///     return false to stop training early (the model so far is returned).
  ///   - shouldStop: polled every step (e.g. a Ctrl-C flag); true stops early.
  ///   - checkpoint: called after every `interval` steps with the step count and
  ///     the current model (averaged weights); return false to stop early.
  ///     Benchmarks use it to score the model during training.
  /// - Throws: ``NCFSolverError``.
  public func solve(
    _ problem: NCFProblem, progress: ((TrainingProgress) -> Bool)? = nil, shouldStop: (() -> Bool)? = nil,
    checkpoint: (interval: Int, body: (_ step: Int, _ model: NCFModel) -> Bool)? = nil
  ) throws -> NCFOutput {
    let s = settings
    if let m = s.validationError() { throw NCFSolverError.invalidSettings(m) }
    if let issue = problem.issue { throw NCFSolverError.invalidProblem(issue) }
    if let m = Self.signalRefusal(s.signal, problem: problem) { throw NCFSolverError.invalidSettings(m) }
    let start = Date()
    let setup = TrainingSetup(problem, settings: s)
    let (hamiltonian, normalization, network, trainingStep) = (setup.hamiltonian, setup.normalization, setup.network, setup.step)
    var (sourceData, targetData) = (setup.sourceData, setup.targetData)
    var (dataRNG, collocationRNG) = (setup.dataRNG, setup.collocationRNG)
    var (parameters, adam) = (setup.parameters, setup.adam)
    let schedule = s.learningRateSchedule

    func model(_ p: ParameterSet<Float>, certificate: TrainingCertificate? = nil) -> NCFModel {
      NCFModel(network: network, parameters: p, hamiltonian: hamiltonian, cost: problem.cost, terminalTime: s.terminalTime,
               normalization: normalization, configuration: s, certificate: certificate)
    }
    func certificate(_ p: ParameterSet<Float>, step: Int) -> TrainingCertificate {
      TrainingCertificate(measuring: model(p), source: sourceData.heldOut, target: targetData.heldOut, step: step)
    }

    // Finite data: score checkpoints on the held-out split (the rule needs a real split, unlabelled).
    var selector: CheckpointSelector? = nil
    if s.checkpointRule == .heldOut, s.iterations > 0, !problem.isLabelled, case .samples(let xs) = problem.source,
       case .samples(let ys) = problem.target, xs.rows >= 20, ys.rows >= 20 {
      selector = CheckpointSelector(heldOutSource: sourceData.heldOut, heldOutTarget: targetData.heldOut)
      selector?.scoreStart(model(parameters), parameters: parameters)
    }
    let scoringSteps = CheckpointChoice.scoringSteps(iterations: s.iterations, count: s.checkpointEvaluations)

    var averaged = parameters
    var history: [TrainingProgress] = []
    var stoppedEarly = false
    var step = 0
    while step < s.iterations {
      if shouldStop?() == true { stoppedEarly = true; break }
      let logging = (step + 1) % s.logInterval == 0 || step + 1 == s.iterations
      let batch = TrainingBatch(source: &sourceData, target: &targetData, size: s.energyBatch,
                                normalization: normalization, rng: &dataRNG)
      let loss = trainingStep(parameters, batch, fullEnergy: logging, rng: &collocationRNG)
      guard loss.isFinite else {
        throw NCFSolverError.nonFiniteLoss(step: step, hjLoss: loss.hj, energyDistance: loss.energy, lastGood: model(averaged))
      }
      let learningRate = schedule.rate(at: step, base: s.learningRate)
      let gradientNorm = adam.update(&parameters, gradients: loss.gradients, learningRate: learningRate)
      step += 1
      if s.weightAveraging > 0 {
        // Debiased EMA: the effective decay ramps up to β, so early steps are not dragged toward θ₀.
        averaged.average(toward: parameters, keeping: Float(min(s.weightAveraging, Double(step) / Double(step + 10))))
      } else {
        averaged = parameters
      }

      if scoringSteps.contains(step) { selector?.score(model(averaged), parameters: averaged, step: step) }
      if let checkpoint, step % max(1, checkpoint.interval) == 0, !checkpoint.body(step, model(averaged)) {
        stoppedEarly = true
        break
      }

      let validating = s.validationInterval > 0 && step % s.validationInterval == 0 && step < s.iterations
      if logging || validating {
        let report = TrainingProgress(
          step: step, iterations: s.iterations, learningRate: learningRate, hjLoss: loss.hj,
          energyDistance: logging ? loss.energy : .nan,
          totalLoss: loss.total, dualValue: loss.dualValues.map { ($0.forward + $0.backward) / 2 },
          gradientNorm: gradientNorm, elapsed: Date().timeIntervalSince(start),
          validation: validating ? certificate(averaged, step: step) : nil)
        history.append(report)
        if let progress, !progress(report) { stoppedEarly = true; break }
      }
    }
    var kept = averaged
    var final: TrainingCertificate
    if var selector {
      // A run stopped early is scored where it stopped, so every run ends with its last step scored.
      if !scoringSteps.contains(step) && step > 0 { selector.score(model(averaged), parameters: averaged, step: step) }
      let (parameters, choice) = selector.choice()
      kept = parameters
      final = certificate(kept, step: choice.step)
      final.checkpoint = choice
    } else {
      final = certificate(averaged, step: step)
    }
    return NCFOutput(model: model(kept, certificate: final), certificate: final, history: history, steps: step,
                     stoppedEarly: stoppedEarly, seconds: Date().timeIntervalSince(start))
  }

  /// Why `signal` cannot train `problem`, if it cannot: the expectile dual
  /// is written for the quadratic cost (its c-transform and maps) and pairs
  /// unlabelled rows.
  static func signalRefusal(_ signal: NCFTrainingConfiguration.TrainingSignal, problem: NCFProblem) -> String? {
    guard signal == .enot else { return nil }
    if !(problem.hamiltonian is QuadraticHamiltonian) {
      return "the enot signal needs the quadratic cost; use the energy signal for \(problem.cost.map { "\($0)" } ?? "a custom Hamiltonian")"
    }
    if problem.isLabelled { return "the enot signal does not fit class-conditional (labelled) problems; use the energy signal" }
    return nil
  }

  /// Seeded initial weights; with the moments head, exactly the closed-form
  /// solution for the samples' moments (the MLP's output layer at zero).
  static func initialParameters(
    _ network: PotentialNetwork, settings s: NCFTrainingConfiguration, seed: UInt64, cost: Cost?,
    source: Tensor<Double>, target: Tensor<Double>
  ) -> ParameterSet<Float> {
    guard s.quadraticHead && s.headInitialization == .moments,
          let head = HeadInitializer.moments(source: source, target: target, cost: cost, terminalTime: s.terminalTime)
    else { return network.initialParameters(seed: seed, outputScale: 0.1) }
    var parameters: ParameterSet<Float> = network.initialParameters(seed: seed, outputScale: 0)
    for (name, value) in head { parameters[name] = value.converted(to: Float.self) }
    return parameters
  }
}
