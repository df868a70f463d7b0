import NCFTensor
import NCFNetworks
import NCFTransport

/// Everything an independent implementation needs to train on exactly the
/// problem ``TrainingBenchmark`` trains on (`ncf bench export`): the Gaussian
/// pair, the solver's normalisation, collocation box and initial parameters,
/// the settings, and the fixed test points. bench/peers/ncf_jax.py reads it,
/// so both sides start from the same weights on the same distributions.
public struct ReferenceProblem: Sendable, Codable {
  public var dimension: Int
  // Settings (the ones a step depends on).
  public var width: Int
  public var depth: Int
  public var activation: String
  public var residual: Bool
  public var head: Bool
  public var terminalTime: Double
  public var lambda: Double
  public var learningRate: Double
  public var finalLearningRateFraction: Double
  public var warmupSteps: Int
  public var iterations: Int
  public var gradientClipNorm: Double?
  public var headLearningRateScale: Double
  public var energyBatch: Int
  public var collocationBatch: Int
  public var collocationWeights: [Double]
  public var unbiasedEnergy: Bool
  // The solver's set-up.
  public var shift: [Double]
  public var scale: Double
  public var boxLower: [Double]
  public var boxUpper: [Double]
  public var parameterNames: [String]
  public var parameterShapes: [[Int]]
  /// Row-major values of each parameter.
  public var parameterValues: [[Float]]
  // The pair (user units): x = μ + Lξ with L the symmetric root; T*(x) = μ_t + Γ(x − μ_s).
  public var sourceMean: [Double]
  public var targetMean: [Double]
  public var sourceRoot: [Double]
  public var targetRoot: [Double]
  public var gamma: [Double]
  public var targetTotalVariance: Double
  /// Test points for UVPs (row-major, user units).
  public var testSource: [Double]
  public var testPoints: Int

  /// The problem ``TrainingBenchmark`` builds for dimension d and settings `s`.
  /// - Precondition: the settings use the quadratic cost's defaults (the Gaussian benchmark).
  public init(dimension d: Int, configuration s: NCFTrainingConfiguration, testPoints: Int) throws {
    if let m = s.validationError() { throw NCFSolverError.invalidSettings(m) }
    let (problem, pair) = try TrainingBenchmark.gaussianProblem(dimension: d)
    let setup = TrainingSetup(problem, settings: s)
    dimension = d
    (width, depth, activation, residual, head) = (s.width, s.depth, s.activation.description, s.residual, s.quadraticHead)
    (terminalTime, lambda, learningRate) = (s.terminalTime, s.lambda, s.learningRate)
    (finalLearningRateFraction, warmupSteps, iterations) = (s.finalLearningRateFraction, s.warmupSteps, s.iterations)
    (gradientClipNorm, headLearningRateScale) = (s.gradientClipNorm, s.headLearningRateScale)
    (energyBatch, collocationBatch) = (s.energyBatch, s.collocationBatch)
    collocationWeights = [s.collocation.boxWeight, s.collocation.pushedWeight, s.collocation.pulledWeight]
    unbiasedEnergy = s.energyEstimator == .uStatistic
    (shift, scale) = (setup.normalization.shift, setup.normalization.scale)
    (boxLower, boxUpper) = (setup.step.box.lower, setup.step.box.upper)
    parameterNames = setup.parameters.names
    parameterShapes = setup.parameters.tensors.map { [$0.rows, $0.columns] }
    parameterValues = setup.parameters.tensors.map(\.scalars)
    sourceMean = pair.source.mean
    targetMean = pair.target.mean
    sourceRoot = pair.source.covarianceRoot.scalars
    targetRoot = pair.target.covarianceRoot.scalars
    gamma = pair.gamma.scalars
    targetTotalVariance = pair.target.totalVariance
    testSource = TrainingBenchmark.testSource(dimension: d, count: testPoints, pair: pair).scalars
    self.testPoints = testPoints
  }
}
