/// What ``NCFSolver/solve(_:progress:shouldStop:)`` returns.
public struct NCFOutput: Sendable {
  /// The trained model (its ``NCFModel/certificate`` is ``certificate``).
  public var model: NCFModel
  /// Held-out evidence of what the model learned, measured at the end.
  public var certificate: TrainingCertificate
  /// Progress reports, one per log interval and validation.
  public var history: [TrainingProgress]
  /// Steps actually taken (fewer than requested when stopped early); the
  /// model is that of step `certificate.step`, which the held-out rule may
  /// have chosen earlier (`certificate.checkpoint` says why).
  public var steps: Int
  /// True when `progress` or `shouldStop` ended training early.
  public var stoppedEarly: Bool
  /// Wall-clock seconds of the whole solve.
  public var seconds: Double
}

/// One progress report from the solver.
public struct TrainingProgress: Sendable {
  public var step: Int
  public var iterations: Int
  public var learningRate: Double
  /// The HJ term (implicit or PINN) on this step's batch.
  public var hjLoss: Double
  /// The squared energy distance on this step's batch (or class average);
  /// NaN on validation-only reports and for the `enot` signal.
  public var energyDistance: Double
  /// The loss: hjLoss + λ·energyDistance (+ λ·backwardLambda·backward energy
  /// distance when that term is on), or hjLoss + λ·(the two halves of the
  /// expectile dual) for the `enot` signal.
  public var totalLoss: Double
  /// The `enot` signal's dual value on this step's batch, the mean of its
  /// forward and backward halves' mean(φ + φ̂): an estimate of the transport
  /// cost E c(x, T(x)) in model units (nil for the energy signal).
  public var dualValue: Double? = nil
  /// Global gradient norm before clipping.
  public var gradientNorm: Double
  /// Seconds since training started.
  public var elapsed: Double
  /// Present on validation steps.
  public var validation: TrainingCertificate?
}

/// Why the solver could not train or stopped.
public enum NCFSolverError: Error, CustomStringConvertible {
  case invalidSettings(String)
  case invalidProblem(NCFProblemIssue)
  /// The loss or a gradient became NaN or infinite; `lastGood` holds the
  /// model from the last step whose loss was finite.
  case nonFiniteLoss(step: Int, hjLoss: Double, energyDistance: Double, lastGood: NCFModel)

  public var description: String {
    switch self {
    case .invalidSettings(let m): return "invalid training settings: \(m)"
    case .invalidProblem(let issue): return "invalid problem: \(issue)"
    case .nonFiniteLoss(let step, let hj, let ed, _):
      return "the loss became non-finite at step \(step) (HJ \(hj), energy \(ed)); the last good parameters were kept — try a smaller learning rate or λ"
    }
  }
}
