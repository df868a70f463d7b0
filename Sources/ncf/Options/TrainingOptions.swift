import ArgumentParser
import NCFTensor
import NCFNetworks
import NCFTransport
import NCFFlows

extension NCFTrainingConfiguration.HJLossKind: ExpressibleByArgument {}
extension NCFTrainingConfiguration.TrainingSignal: ExpressibleByArgument {}
extension NCFTrainingConfiguration.CheckpointRule: ExpressibleByArgument {}

/// Where a command's training defaults come from; its help shows them.
protocol TrainingDefaults {
  static var configuration: NCFTrainingConfiguration { get }
  /// What one energy-term sample is, for the `--batch-size` help.
  static var batchHelp: String { get }
  /// What the seed fixes, for the `--seed` help.
  static var seedHelp: String { get }
}

/// The library's defaults (`ncf train`).
enum LibraryTrainingDefaults: TrainingDefaults {
  static var configuration: NCFTrainingConfiguration { NCFTrainingConfiguration() }
  static var batchHelp: String { "Source and target points per step for the energy term, per class when labelled" }
  static var seedHelp: String { "Random seed: the same seed and settings give the same model" }
}

/// The network, optimiser and sampling flags that every training command
/// has, with the defaults of `D` in the help. An unset flag keeps the
/// value underneath (defaults or config file).
struct CoreTrainingOptions<D: TrainingDefaults>: ParsableArguments {
  @Option(help: ArgumentHelp("Adam steps (default: \(D.configuration.iterations)).", valueName: "n"))
  var iterations: Int?

  @Option(name: .customLong("batch-size"), help: ArgumentHelp(
    "\(D.batchHelp) (default: \(D.configuration.energyBatch)).", valueName: "n"))
  var batchSize: Int?

  @Option(name: .customLong("collocation-batch"), help: ArgumentHelp(
    "Collocation points per step for the HJ term (default: \(D.configuration.collocationBatch)).", valueName: "n"))
  var collocationBatch: Int?

  @Option(help: ArgumentHelp("Hidden width of the potential network (default: \(D.configuration.width)).", valueName: "n"))
  var width: Int?

  @Option(help: ArgumentHelp("Number of hidden layers (default: \(D.configuration.depth)).", valueName: "n"))
  var depth: Int?

  @Option(help: ArgumentHelp(
    "Hidden activation: tanh, softplus, softplus:β or silu (default: \(D.configuration.activation)).", valueName: "name"))
  var activation: String?

  @Option(help: ArgumentHelp(
    "Weight λ of the energy-distance term (default: \(NumberFormat.shortest(D.configuration.lambda))).", valueName: "λ"))
  var lambda: Double?

  @Option(name: .customLong("backward-lambda"), help: ArgumentHelp(
    "Weight, relative to λ, of a second energy term that fits the backward map S♯target to the source; 0 turns it off (default: \(NumberFormat.shortest(D.configuration.backwardLambda))).",
    valueName: "w"))
  var backwardLambda: Double?

  @Option(name: .customLong("learning-rate"), help: ArgumentHelp(
    "Peak Adam learning rate (default: \(NumberFormat.shortest(D.configuration.learningRate))).", valueName: "rate"))
  var learningRate: Double?

  @Option(help: ArgumentHelp("\(D.seedHelp) (default: \(D.configuration.seed)).",
                             valueName: "n"))
  var seed: UInt64?

  @Option(help: ArgumentHelp("BLAS threads (default: the BLAS library's own choice, usually all cores).", valueName: "n"))
  var threads: Int?

  func validate() throws {
    if let activation, Activation(activation) == nil {
      throw ValidationError("unknown activation '\(activation)'; use tanh, softplus, softplus:β (β > 0) or silu")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  /// Sets the fields whose flags were given.
  func apply(to c: inout NCFTrainingConfiguration) {
    if let iterations { c.iterations = iterations }
    if let batchSize { c.energyBatch = batchSize }
    if let collocationBatch { c.collocationBatch = collocationBatch }
    if let width { c.width = width }
    if let depth { c.depth = depth }
    if let activation, let a = Activation(activation) { c.activation = a }
    if let lambda { c.lambda = lambda }
    if let backwardLambda { c.backwardLambda = backwardLambda }
    if let learningRate { c.learningRate = learningRate }
    if let seed { c.seed = seed }
  }
}

/// Training settings of `ncf train` as command-line flags. Every flag is
/// optional: an unset flag keeps the value from `--config` (or the library
/// default, shown in the help), so the precedence is defaults < config file < flags.
struct TrainingOptions: ParsableArguments {
  private static let defaults = NCFTrainingConfiguration()

  @Option(help: ArgumentHelp(
    "JSON file of training settings (any subset of the keys that --dry-run prints); flags override it.",
    valueName: "file"))
  var config: String?

  @OptionGroup var core: CoreTrainingOptions<LibraryTrainingDefaults>

  @Flag(inversion: .prefixedNo, help: ArgumentHelp(
    "Skip connections between hidden layers (default: \(defaults.residual ? "on" : "off")).")
  )
  var residual: Bool?

  @Flag(name: .customLong("quadratic-head"), inversion: .prefixedNo, help: ArgumentHelp(
    "Add the Gaussian head ½wᵀP(t)w + δᵀx − t|δ|²/2 + ct (w = x − m − tδ; exact for linear maps, started from the samples' moments) to the network (default: \(defaults.quadraticHead ? "on" : "off")).")
  )
  var quadraticHead: Bool?

  @Option(help: ArgumentHelp("HJ loss: implicit (NCF) or pinn (PDE residual) (default: \(defaults.hjLoss.rawValue)).",
                             valueName: "kind"))
  var loss: NCFTrainingConfiguration.HJLossKind?

  @Option(help: ArgumentHelp(
    "Distribution term: energy (the paper's energy distance between T♯source and target) or enot (ENOT's expectile-regularised dual on the network's time slices; fits both maps; quadratic cost and unlabelled data only) (default: \(defaults.signal.rawValue)).",
    valueName: "name"))
  var signal: NCFTrainingConfiguration.TrainingSignal?

  @Option(help: ArgumentHelp(
    "Expectile τ in (0, 1) of the enot signal's regulariser (default: \(NumberFormat.shortest(defaults.expectile))).",
    valueName: "τ"))
  var expectile: Double?

  @Option(help: ArgumentHelp(
    "Which parameters to return when training on files: held-out (score \(defaults.checkpointEvaluations) evenly spaced checkpoints and the starting model on the held-out points, keep the checkpoint with the lowest held-out energy among those that beat the start by more than 2 standard errors, else the start) or last (default: \(defaults.checkpointRule.rawValue)).",
    valueName: "rule"))
  var keep: NCFTrainingConfiguration.CheckpointRule?

  @Option(name: .customLong("validation-interval"), help: ArgumentHelp(
    "Held-out validation every n steps, 0 for only at the end (default: \(defaults.validationInterval)).", valueName: "n"))
  var validationInterval: Int?

  @OptionGroup var cost: NCFCostOption

  /// BLAS threads, when given.
  var threads: Int? { core.threads }

  /// Defaults, then `--config`, then the flags given.
  /// - Throws: ``CLIError`` for an unreadable or invalid config file or invalid settings.
  func configuration(base: NCFTrainingConfiguration = .init()) throws -> NCFTrainingConfiguration {
    var c = base
    if let config { c = try NCFTrainingConfiguration(jsonFile: config, over: c) }
    core.apply(to: &c)
    if let residual { c.residual = residual }
    if let quadraticHead { c.quadraticHead = quadraticHead }
    if let loss { c.hjLoss = loss }
    if let signal { c.signal = signal }
    if let expectile { c.expectile = expectile }
    if let keep { c.checkpointRule = keep }
    if let validationInterval { c.validationInterval = validationInterval }
    if let message = c.validationError() {
      throw CLIError("invalid training settings: \(message)" + (config.map { " (settings from \($0) and the flags)" } ?? ""))
    }
    return c
  }
}

/// Progress display and logging flags shared by `train` and `demo`.
struct ProgressOptions: ParsableArguments {
  @Flag(name: [.short, .long], help: "Print no progress (errors and the final summary still appear).")
  var quiet = false

  @Option(help: ArgumentHelp("Also write every progress report as one JSON object per line to this file.",
                             valueName: "file"))
  var log: String?
}
