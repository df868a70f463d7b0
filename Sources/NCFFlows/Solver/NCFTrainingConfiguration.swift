import NCFNetworks
import NCFTransport

/// Every setting of an NCF training run. The defaults are the ones that
/// measured best on the Gaussian benchmark and on non-linear 2-D maps (see
/// the README's Results section, which also shows where they differ).
public struct NCFTrainingConfiguration: Sendable, Equatable, Codable {
  // MARK: Network
  /// Hidden width of the potential network.
  public var width: Int = 64
  /// Number of hidden layers.
  public var depth: Int = 3
  /// Activation of the hidden layers.
  public var activation: Activation = .softplus(beta: 4)
  /// Skip connections between equal-width hidden layers.
  public var residual: Bool = false
  /// Add the Gaussian head ½wᵀP(t)w + δᵀx − t|δ|²/2 + ct, w = x − m − tδ, to
  /// the MLP: the exact potential of every linear OT map (see ``PotentialNetwork``).
  public var quadraticHead: Bool = true
  /// How the quadratic head starts (see ``HeadInitialization``).
  public var headInitialization: HeadInitialization = .moments
  /// Learning rate of the head's weights relative to the MLP's, divided by
  /// the dimension d: Adam moves every weight by about one learning rate per
  /// step, so the d² entries of a head matrix together move its spectrum by
  /// about lr·d per step, which undoes a good initialisation in high d.
  public var headLearningRateScale: Double = 1

  // MARK: Losses
  /// The term that fits the maps to the data (see ``TrainingSignal``); the
  /// paper's energy distance by default.
  public var signal: TrainingSignal = .energy
  /// Weight λ of the distribution term: the energy distance, or the sum of
  /// the two halves of the expectile dual (``TrainingSignal/enot``).
  public var lambda: Double = 1
  /// τ of the expectile regulariser (``TrainingSignal/enot`` only), in (0, 1):
  /// ENOT's 0.99.
  public var expectile: Double = 0.99
  /// Weight of the expectile regulariser inside each half of the dual
  /// (``TrainingSignal/enot`` only).
  public var expectileWeight: Double = 1
  /// Weight, relative to λ, of a second energy distance between S♯(target
  /// batch) and the source batch; 0 (the default, the paper's method) turns
  /// it off. Both distances vanish at the OT map, so the minimiser is the
  /// same; the term trains the backward map directly, which matters when
  /// the target is multimodal or the reverse map is used. Measured: the
  /// demo's backward energy distance 20 % → 2 % of the unmapped one, the
  /// reverse colour transfer's HI 0.43 → 0.81, each at some cost in forward
  /// accuracy and HJ residual (README, docs/color-transfer.md). About 1.5×
  /// the time per step.
  public var backwardLambda: Double = 0
  /// The HJ term: the implicit solution formula (NCF) or the PDE residual (HJ-PINN ablation).
  public var hjLoss: HJLossKind = .implicit
  /// Energy-distance estimator (stored as `unbiased` or `biased`).
  public var energyEstimator: EnergyDistance.Estimator = .uStatistic
  /// Terminal time t_f.
  public var terminalTime: Double = 1

  // MARK: Optimisation
  /// Number of Adam steps.
  public var iterations: Int = 10_000
  /// Peak learning rate.
  public var learningRate: Double = 3e-3
  /// Fraction of the peak learning rate reached at the end of the cosine decay.
  public var finalLearningRateFraction: Double = 0.01
  /// Linear warm-up steps (at most a tenth of the run).
  public var warmupSteps: Int = 200
  /// The learning-rate schedule ("cosine", "constant" or "step").
  public var schedule: ScheduleKind = .cosine
  /// Global gradient-norm clipping (nil: off).
  public var gradientClipNorm: Double? = 10
  /// AdamW decoupled weight decay.
  public var weightDecay: Double = 0
  /// Decay β of an exponential moving average of the weights (Polyak
  /// averaging), used for validation and the final model; 0 disables it.
  /// Averaging cancels much of the minibatch noise of the energy term.
  public var weightAveraging: Double = 0
  /// Collocation points per step (HJ term).
  public var collocationBatch: Int = 2048
  /// Source and target points per step (energy term); per class when labelled.
  public var energyBatch: Int = 2048
  /// The collocation measure ϱ.
  public var collocation = CollocationMeasure()
  /// Random seed: the same seed and settings give the same model.
  public var seed: UInt64 = 0
  /// Normalise the data by a shift and one isotropic scale before training.
  public var normalize: Bool = true

  // MARK: Finite data
  /// Which parameters a run on fixed samples returns (see ``CheckpointRule``);
  /// runs on samplers always return the last ones.
  public var checkpointRule: CheckpointRule = .heldOut
  /// How many times a run on fixed samples scores its parameters on the
  /// held-out split for ``CheckpointRule/heldOut`` (evenly spaced, the last at
  /// the final step).
  public var checkpointEvaluations: Int = 15

  // MARK: Monitoring
  /// Report progress (and compute the full energy distance) every this many steps.
  public var logInterval: Int = 100
  /// Validate on held-out samples every this many steps (0: only at the end).
  public var validationInterval: Int = 1000
  /// Held-out points per side for validation.
  public var validationSize: Int = 4096

  public init() {}

  /// Which HJ loss to train with.
  public enum HJLossKind: String, Sendable, Codable, CaseIterable { case implicit, pinn }

  /// The distribution term of the loss.
  public enum TrainingSignal: String, Sendable, Codable, CaseIterable {
    /// The paper's: L_HJ + λ·E(T♯x, y) (+ the optional backward energy term).
    case energy
    /// L_HJ + λ·(forward half + backward half) of ENOT's expectile-regularised
    /// dual on u's time slices (``ExpectileDual``): fits both maps. Needs the
    /// quadratic cost and unlabelled samples.
    case enot
  }

  /// Which checkpoint a run on fixed samples returns.
  public enum CheckpointRule: String, Sendable, Codable, CaseIterable {
    /// The parameters after the last step.
    case last
    /// The held-out rule (``CheckpointSelection``): the checkpoint with the
    /// lowest held-out energy among those that beat the step-0 model (the
    /// moments-only map with the default head) by more than two standard
    /// errors over paired folds; the step-0 model if none does.
    case heldOut = "held-out"
  }

  /// Learning-rate schedule families.
  public enum ScheduleKind: String, Sendable, Codable, CaseIterable { case cosine, constant, step }

  /// The learning-rate schedule these settings describe.
  public var learningRateSchedule: LearningRateSchedule {
    switch schedule {
    // Short runs keep a proportionate warm-up, so that the decay still happens.
    case .cosine: return .cosine(totalSteps: iterations, warmup: min(warmupSteps, iterations / 10), finalFraction: finalLearningRateFraction)
    case .constant: return .constant
    case .step: return .step(every: max(1, iterations / 4), factor: 0.3)
    }
  }

  /// Checks every setting; returns a one-line message naming the first bad one.
  public func validationError() -> String? {
    if width < 1 || depth < 1 { return "width and depth must be ≥ 1" }
    if !(lambda >= 0) || !lambda.isFinite { return "lambda must be finite and ≥ 0" }
    if !(expectile > 0 && expectile < 1) { return "expectile τ must lie in (0, 1)" }
    if !(expectileWeight >= 0) || !expectileWeight.isFinite { return "expectile weight must be finite and ≥ 0" }
    if checkpointEvaluations < 1 { return "checkpoint evaluations must be ≥ 1" }
    if !(backwardLambda >= 0) || !backwardLambda.isFinite { return "backward lambda must be finite and ≥ 0" }
    if !(terminalTime > 0) || !terminalTime.isFinite { return "terminal time must be positive" }
    if iterations < 0 { return "iterations must be ≥ 0" }
    if !(learningRate > 0) || !learningRate.isFinite { return "learning rate must be positive" }
    if !(0...1).contains(finalLearningRateFraction) { return "final learning-rate fraction must lie in [0, 1]" }
    if warmupSteps < 0 { return "warm-up steps must be ≥ 0" }
    if let c = gradientClipNorm, !(c > 0) { return "gradient clip norm must be positive" }
    if weightDecay < 0 { return "weight decay must be ≥ 0" }
    if !(0..<1).contains(weightAveraging) { return "weight averaging must lie in [0, 1)" }
    if !(headLearningRateScale > 0) || !headLearningRateScale.isFinite { return "head learning-rate scale must be positive" }
    if collocationBatch < 1 { return "collocation batch must be ≥ 1" }
    if energyBatch < 2 { return "energy batch must be ≥ 2" }
    if logInterval < 1 { return "log interval must be ≥ 1" }
    if validationInterval < 0 { return "validation interval must be ≥ 0" }
    if validationSize < 2 { return "validation size must be ≥ 2" }
    return collocation.validationError()
  }
}
