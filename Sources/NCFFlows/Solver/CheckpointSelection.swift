import NCFTensor
import NCFNetworks
import NCFTransport

/// Which parameters a run on fixed samples returned, and why: the record
/// of the held-out rule (``NCFTrainingConfiguration/CheckpointRule/heldOut``).
///
/// On finite data training can make the map worse than where it started:
/// with the Gaussian head started from the moments, step 0 is already the
/// closed-form map between the samples' moments, which no amount of fitting
/// n points beats on Gaussian data. The rule scores the step-0 model and
/// evenly spaced checkpoints on the held-out split, by the held-out energy
/// distance in both directions, E(T♯X_ho, Y_ho) + E(S♯Y_ho, X_ho), on
/// disjoint folds; a checkpoint counts only if it beats step 0 by more than
/// two standard errors of the paired per-fold differences (a plain "lowest
/// held-out energy" cannot resolve the differences that matter on Gaussians,
/// docs/research/w2-experiments.md E5). Among those, the lowest held-out
/// energy wins; if none qualifies, the step-0 model is returned.
public struct CheckpointChoice: Sendable, Equatable, Codable {
  /// The step whose parameters were kept (0: the model training started from).
  public var step: Int
  /// Why those.
  public var reason: Reason
  /// Held-out points per fold and number of folds.
  public var foldSize: Int
  public var folds: Int
  /// Every scored checkpoint, step 0 first.
  public var evaluations: [Evaluation]

  /// Why the rule kept the parameters it kept.
  public enum Reason: String, Sendable, Equatable, Codable {
    /// The kept checkpoint beat the step-0 model by more than 2 standard errors, with the lowest held-out energy of those that did.
    case beatStart = "beat-start"
    /// No checkpoint beat the step-0 model by more than 2 standard errors.
    case noneBeatStart = "none-beat-start"
  }

  /// One scored checkpoint.
  public struct Evaluation: Sendable, Equatable, Codable {
    public var step: Int
    /// Mean over the folds of the held-out energy E(T♯X, Y) + E(S♯Y, X) (U-statistics, data units).
    public var heldOutEnergy: Double
    /// Mean over the folds of (this checkpoint's − step 0's) held-out energy: negative is better.
    public var differenceToStart: Double
    /// Standard error of that mean over the folds.
    public var standardError: Double
    /// Whether it beat step 0 by more than two standard errors.
    public var beatsStart: Bool { differenceToStart < -2 * standardError && standardError > 0 }
  }

  /// The steps (1…iterations) the rule scores besides step 0: `count` of
  /// them evenly spaced, the last at `iterations` (fewer when the run is shorter).
  public static func scoringSteps(iterations: Int, count: Int) -> Set<Int> {
    guard iterations > 0, count > 0 else { return [] }
    return Set((1...count).map { max(1, Int((Double($0) * Double(iterations) / Double(count)).rounded())) })
  }

  /// The kept checkpoint's evaluation.
  public var kept: Evaluation? { evaluations.first { $0.step == step } }

  /// One sentence for a summary.
  public var summary: String {
    let last = evaluations.last?.step ?? 0
    switch reason {
    case .beatStart:
      let k = kept!
      return "kept step \(step) of \(last): its held-out energy beat the step-0 model's by "
        + "\(NumberFormat.sci(-k.differenceToStart)) ± \(NumberFormat.sci(k.standardError)) (s.e., \(folds) folds of \(foldSize) points), the lowest of the \(evaluations.filter(\.beatsStart).count) checkpoints that did"
    case .noneBeatStart:
      return "kept the step-0 model (the starting map): none of the \(evaluations.count - 1) checkpoints beat its held-out energy by more than 2 standard errors (\(folds) folds of \(foldSize) points)"
    }
  }
}

/// Scores checkpoints on the held-out split and keeps the one the rule picks.
struct CheckpointSelector {
  /// Disjoint held-out folds (user units).
  private let sourceFolds: [Tensor<Double>]
  private let targetFolds: [Tensor<Double>]
  private var startEnergies: [Double] = []
  private(set) var evaluations: [CheckpointChoice.Evaluation] = []
  private var keptParameters: ParameterSet<Float>?
  private var keptStep = 0
  private var keptEnergy = Double.infinity
  let foldSize: Int

  /// The number of folds (10, as in the research runs).
  static let folds = 10
  /// The largest fold: enough to see 0.01 % UVP differences at d ≤ 16 in
  /// the research runs, while scoring stays cheap next to training.
  static let maxFoldSize = 1000
  /// The smallest fold for which the rule runs (the U-statistic needs ≥ 2
  /// points; 20 gives it some power).
  static let minFoldSize = 20

  /// Folds from the held-out rows; nil when there are too few for the rule.
  init?(heldOutSource x: Tensor<Double>, heldOutTarget y: Tensor<Double>) {
    let m = min(x.rows / Self.folds, y.rows / Self.folds, Self.maxFoldSize)
    guard m >= Self.minFoldSize else { return nil }
    foldSize = m
    sourceFolds = (0..<Self.folds).map { x.rows(($0 * m)..<(($0 + 1) * m)) }
    targetFolds = (0..<Self.folds).map { y.rows(($0 * m)..<(($0 + 1) * m)) }
  }

  private func foldEnergies(_ model: NCFModel) -> [Double] {
    let energy = EnergyDistance(estimator: .uStatistic)
    return zip(sourceFolds, targetFolds).map { x, y in
      energy(model.forward(x), y).value + energy(model.backward(y), x).value
    }
  }

  /// Scores the model training starts from (step 0); call once, first.
  mutating func scoreStart(_ model: NCFModel, parameters: ParameterSet<Float>) {
    startEnergies = foldEnergies(model)
    let mean = startEnergies.reduce(0, +) / Double(startEnergies.count)
    evaluations = [.init(step: 0, heldOutEnergy: mean, differenceToStart: 0, standardError: 0)]
    keptParameters = parameters
  }

  /// Scores a checkpoint; keeps it if it beats step 0 by more than 2 s.e.
  /// with the lowest held-out energy so far.
  mutating func score(_ model: NCFModel, parameters: ParameterSet<Float>, step: Int) {
    precondition(!startEnergies.isEmpty, "score the starting model first")
    let e = foldEnergies(model)
    let k = Double(e.count)
    let diffs = zip(e, startEnergies).map { $0 - $1 }
    let meanDiff = diffs.reduce(0, +) / k
    let variance = diffs.reduce(0) { $0 + ($1 - meanDiff) * ($1 - meanDiff) } / (k - 1)
    let evaluation = CheckpointChoice.Evaluation(
      step: step, heldOutEnergy: e.reduce(0, +) / k, differenceToStart: meanDiff, standardError: (variance / k).squareRoot())
    evaluations.append(evaluation)
    if evaluation.beatsStart && evaluation.heldOutEnergy < keptEnergy {
      (keptParameters, keptStep, keptEnergy) = (parameters, step, evaluation.heldOutEnergy)
    }
  }

  /// The kept parameters and the record of the choice.
  func choice() -> (parameters: ParameterSet<Float>, choice: CheckpointChoice) {
    let record = CheckpointChoice(step: keptStep, reason: keptStep == 0 ? .noneBeatStart : .beatStart, foldSize: foldSize,
                                  folds: Self.folds, evaluations: evaluations)
    return (keptParameters!, record)
  }
}
