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

/// The colour-transfer training defaults
/// (``ColorTransferConfiguration/defaultTraining``), shown in the help.
enum ColorTrainingDefaults: TrainingDefaults {
  static var configuration: NCFTrainingConfiguration { ColorTransferConfiguration.defaultTraining }
  static var batchHelp: String { "Random pixels per image and step for the energy term" }
  static var seedHelp: String { "Random seed of the training, the baselines' pixel samples and the evaluation subset" }
}

/// Training flags of `ncf color-transfer`: the common ones over the
/// colour-transfer defaults.
struct ColorTrainingOptions: ParsableArguments {
  @OptionGroup var core: CoreTrainingOptions<ColorTrainingDefaults>
  @OptionGroup var cost: NCFCostOption

  /// BLAS threads, when given.
  var threads: Int? { core.threads }

  /// The colour-transfer defaults with the given flags applied.
  func configuration() throws -> NCFTrainingConfiguration {
    var c = ColorTrainingDefaults.configuration
    core.apply(to: &c)
    c.warmupSteps = min(c.warmupSteps, c.iterations / 10)
    if let message = c.validationError() { throw CLIError("invalid training settings: \(message)") }
    return c
  }
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
