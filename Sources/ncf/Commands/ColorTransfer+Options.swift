import ArgumentParser
import NCFNetworks
import NCFFlows
import NCFApplications

/// The histogram layout, as a command-line choice.
enum HistogramLayoutChoice: String, ExpressibleByArgument, CaseIterable {
  case joint
  case perChannel = "per-channel"

  var layout: ColorHistogramMetric.Layout { self == .joint ? .joint : .perChannel }
}

/// Training flags of `ncf color-transfer`, with the colour-transfer defaults
/// (``ColorTransferConfiguration/defaultTraining``) shown in the help.
struct ColorTrainingOptions: ParsableArguments {
  private static let defaults = ColorTransferConfiguration.defaultTraining

  @Option(help: ArgumentHelp("Adam steps (default: \(defaults.iterations)).", valueName: "n"))
  var iterations: Int?
  @Option(name: .customLong("batch-size"), help: ArgumentHelp(
    "Random pixels per image and step for the energy term (default: \(defaults.energyBatch)).", valueName: "n"))
  var batchSize: Int?
  @Option(name: .customLong("collocation-batch"), help: ArgumentHelp(
    "Collocation points per step for the HJ term (default: \(defaults.collocationBatch)).", valueName: "n"))
  var collocationBatch: Int?
  @Option(help: ArgumentHelp("Hidden width of the potential network (default: \(defaults.width)).", valueName: "n"))
  var width: Int?
  @Option(help: ArgumentHelp("Number of hidden layers (default: \(defaults.depth)).", valueName: "n"))
  var depth: Int?
  @Option(help: ArgumentHelp(
    "Hidden activation: tanh, softplus, softplus:β or silu (default: \(defaults.activation)).", valueName: "name"))
  var activation: String?
  @Option(help: ArgumentHelp("Weight λ of the energy-distance term (default: \(Self.text(defaults.lambda))).", valueName: "λ"))
  var lambda: Double?
  @Option(name: .customLong("learning-rate"), help: ArgumentHelp(
    "Peak Adam learning rate (default: \(Self.text(defaults.learningRate))).", valueName: "rate"))
  var learningRate: Double?
  @Option(help: ArgumentHelp(
    "Random seed of the training, the baselines' pixel samples and the evaluation subset (default: \(defaults.seed)).",
    valueName: "n"))
  var seed: UInt64?
  @Option(help: ArgumentHelp("BLAS threads (default: the BLAS library's own choice).", valueName: "n"))
  var threads: Int?

  func validate() throws {
    if let activation, Activation(activation) == nil {
      throw ValidationError("unknown activation '\(activation)'; use tanh, softplus, softplus:β (β > 0) or silu")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  /// The colour-transfer defaults with the given flags applied.
  func configuration() throws -> NCFTrainingConfiguration {
    var c = Self.defaults
    if let iterations { c.iterations = iterations }
    if let batchSize { c.energyBatch = batchSize }
    if let collocationBatch { c.collocationBatch = collocationBatch }
    if let width { c.width = width }
    if let depth { c.depth = depth }
    if let activation, let a = Activation(activation) { c.activation = a }
    if let lambda { c.lambda = lambda }
    if let learningRate { c.learningRate = learningRate }
    if let seed { c.seed = seed }
    c.warmupSteps = min(c.warmupSteps, c.iterations / 10)
    if let message = c.validationError() { throw CLIError("invalid training settings: \(message)") }
    return c
  }

  static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}

/// Metric and baseline flags of `ncf color-transfer`.
struct ColorEvaluationOptions: ParsableArguments {
  private static let defaults = ColorTransferConfiguration()

  @Option(help: ArgumentHelp(
    "Histogram bins per channel for the main EMD and HI (default: \(defaults.metric.bins); at most 32 for joint, 256 per channel).",
    valueName: "n"))
  var bins: Int?
  @Option(help: "Histograms of the main EMD and HI: joint (one 3-D RGB histogram) or per-channel (R, G, B separately, averaged).")
  var histogram: HistogramLayoutChoice = .joint
  @Option(name: .customLong("eval-pixels"), help: ArgumentHelp(
    "Score the recoloured images on all pixels up to this many, else on a seeded random subset of this size (default: \(defaults.evaluationPixels)).",
    valueName: "n"))
  var evalPixels: Int?
  @Option(name: .customLong("baseline-samples"), help: ArgumentHelp(
    "Pixels per image for the exact-OT and Sinkhorn baselines (default: \(defaults.baselineSamples); time grows like n²).",
    valueName: "n"))
  var baselineSamples: Int?
  @Option(help: ArgumentHelp(
    "Entropic regularisation ε of the Sinkhorn baseline, cost ‖x − y‖² in [0, 1]³ colour units (default: \(defaults.sinkhornEpsilon)).",
    valueName: "ε"))
  var epsilon: Double?
  @Flag(name: .customLong("no-baselines"), help: "Skip the exact-OT and Sinkhorn baselines.")
  var noBaselines = false

  func validate() throws {
    if let bins {
      // Joint histograms have bins³ cells and an exact OT solve over the nonempty ones.
      let limit = histogram == .joint ? 32 : 256
      if !(1...limit).contains(bins) { throw ValidationError("--bins must lie in 1…\(limit) for --histogram \(histogram.rawValue)") }
    }
    if let evalPixels, evalPixels < 1 { throw ValidationError("--eval-pixels must be at least 1") }
    if let baselineSamples, baselineSamples < 2 { throw ValidationError("--baseline-samples must be at least 2") }
    if let epsilon, !(epsilon > 0 && epsilon.isFinite) { throw ValidationError("--epsilon must be a positive number") }
  }

  /// Applies the flags to `c`.
  func apply(to c: inout ColorTransferConfiguration) {
    c.metric = ColorHistogramMetric(layout: histogram.layout, bins: bins ?? c.metric.bins)
    if let evalPixels { c.evaluationPixels = evalPixels }
    if let baselineSamples { c.baselineSamples = baselineSamples }
    if let epsilon { c.sinkhornEpsilon = epsilon }
    c.baselines = !noBaselines
  }
}
