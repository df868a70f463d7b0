import NCFTensor
import NCFNetworks
import NCFTransport

/// Everything ``NCFSolver/solve(_:progress:shouldStop:checkpoint:)`` prepares
/// before its first step: the generators split from the seed, the data
/// streams with their held-out rows, the normalisation, the network, its
/// initial parameters, the optimiser and the step. Benchmarks build the
/// same value, so they time exactly the solver's step.
struct TrainingSetup {
  let hamiltonian: any Hamiltonian
  var sourceData: DataStream
  var targetData: DataStream
  var dataRNG: SeededRandom
  var collocationRNG: SeededRandom
  let normalization: Normalization
  let network: PotentialNetwork
  var parameters: ParameterSet<Float>
  var adam: Adam<Float>
  let step: TrainingStep

  /// - Precondition: `settings.validationError()` and `problem.issue` are nil.
  init(_ problem: NCFProblem, settings s: NCFTrainingConfiguration) {
    _ = AllocatorTuning.retainFreedBuffers
    hamiltonian = problem.hamiltonian!  // a problem without one has an issue
    var rng = SeededRandom(seed: s.seed)
    var dataRNG = rng.split(stream: 1)
    collocationRNG = rng.split(stream: 2)
    let initSeed = rng.next()

    // Data: minibatch streams with held-out splits, and the coordinates the network works in.
    sourceData = DataStream(problem.source, labels: problem.sourceLabels, holdOut: s.validationSize, rng: &dataRNG)
    targetData = DataStream(problem.target, labels: problem.targetLabels, holdOut: s.validationSize, rng: &dataRNG)
    let (fitSource, fitTarget) = (sourceData.fitSample(rng: &dataRNG), targetData.fitSample(rng: &dataRNG))
    normalization = s.normalize
      ? (problem.cost == nil ? Normalization.shiftOnly(fitSource, fitTarget) : Normalization.fitted(fitSource, fitTarget))
      : Normalization.identity(dimension: problem.dimension)
    let (fitX, fitY) = (normalization.normalize(fitSource), normalization.normalize(fitTarget))
    self.dataRNG = dataRNG

    // The network, its starting point and the optimiser.
    network = PotentialNetwork(
      mlp: MLP(inputDimension: problem.dimension + 1, hiddenWidths: Array(repeating: s.width, count: s.depth),
               activation: s.activation, residual: s.residual),
      quadraticHead: s.quadraticHead)
    // On fixed samples the head starts from the moments of all n points, held-out rows included, so that
    // step 0 is the moments-only map of the user's data: the reference the checkpoint rule must beat.
    let normalizer = normalization
    func allRows(_ side: SampleSource, else fit: Tensor<Double>) -> Tensor<Double> {
      if case .samples(let t) = side { return normalizer.normalize(t) }
      return fit
    }
    let (headX, headY) = (allRows(problem.source, else: fitX), allRows(problem.target, else: fitY))
    parameters = NCFSolver.initialParameters(network, settings: s, seed: initSeed, cost: problem.cost, source: headX, target: headY)
    adam = Adam<Float>(weightDecay: s.weightDecay, gradientClipNorm: s.gradientClipNorm)
    let headScale = s.headLearningRateScale / Double(problem.dimension)
    adam.learningRateScales = parameters.names.map { $0.hasPrefix("head.") ? headScale : 1 }
    step = TrainingStep(
      network: network, hamiltonian: hamiltonian, settings: s,
      box: BoundingBox([fitX, fitY], margin: s.collocation.boxMargin))
  }
}
