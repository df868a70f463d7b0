import Foundation
import NCFTensor
import NCFTransport
import NCFFlows
import NCFFigures

/// `ncf demo` as one library call: learns the map between two built-in 2-D
/// datasets (fresh samples every step), then measures the model on fresh
/// test samples and draws it.
public struct TransportDemo: Sendable {
  public var source: BuiltInDataset
  public var target: BuiltInDataset
  public var settings: NCFTrainingConfiguration
  public var cost: Cost
  /// Test points per side for the figure and the report's metrics.
  public var testPoints: Int
  /// Characteristics drawn in the figure.
  public var segments: Int

  /// Demo-sized settings (the library defaults are sized for real problems):
  /// `iterations` steps, `batch` points per step for both terms, progress
  /// every hundredth of the run, validation every fifth on 1000 points.
  /// - Throws: ``BuiltInDatasetError`` when a dataset is not 2-D,
  ///   ``NCFSolverError/invalidSettings(_:)`` for invalid settings.
  public init(
    source: BuiltInDataset, target: BuiltInDataset? = nil, iterations: Int = 1000, batch: Int = 512, seed: UInt64 = 0,
    backwardLambda: Double = 0, cost: Cost = .quadratic, testPoints: Int = 2000, segments: Int = 300
  ) throws {
    let target = target ?? source.defaultTarget
    for spec in [source, target] where spec.dimension != 2 {
      throw BuiltInDatasetError(description: "dataset '\(spec)' is \(spec.dimension)-D; the demo draws 2-D problems (use gaussian-benchmark-2, or ncf bench gaussian for other dimensions)")
    }
    var c = NCFTrainingConfiguration()
    c.iterations = iterations
    c.energyBatch = batch
    c.collocationBatch = batch
    c.seed = seed
    c.backwardLambda = backwardLambda
    c.logInterval = max(1, iterations / 100)
    c.validationInterval = max(1, iterations / 5)
    c.validationSize = 1000
    if let message = c.validationError() { throw NCFSolverError.invalidSettings(message) }
    (self.source, self.target, settings, self.cost, self.testPoints, self.segments) = (source, target, c, cost, testPoints, segments)
  }

  /// What a demo run produced.
  public struct Result: Sendable {
    public var output: NCFOutput
    public var figure: Figure
    public var report: Report
  }

  /// Trains, evaluates on fresh test samples and draws the figure.
  /// - Parameters: progress, shouldStop: as for ``NCFSolver/solve(_:progress:shouldStop:)``.
  /// - Throws: ``NCFSolverError``; ``NonFiniteResultError`` when the trained
  ///   model's certificate, maps or test metrics are NaN or infinite (rows
  ///   are rows of the fresh test samples), so that no such number is reported.
  public func run(progress: ((TrainingProgress) -> Bool)? = nil, shouldStop: (() -> Bool)? = nil) throws -> Result {
    let problem = NCFProblem(source: try source.sampler(defaultSide: .source), target: try target.sampler(defaultSide: .target),
                             cost: cost)
    let output = try NCFSolver(settings: settings).solve(problem, progress: progress, shouldStop: shouldStop)
    let seed = settings.seed
    // Fresh test samples (other seeds than any training batch).
    let testSource = try source.sample(n: testPoints, seed: seed &+ 0x7E57_0001, defaultSide: .source)
    let testTarget = try target.sample(n: testPoints, seed: seed &+ 0x7E57_0002, defaultSide: .target)
    try output.certificate.requireFinite()
    let evaluation = try NCFEvaluation(
      model: output.model, source: testSource, target: testTarget, maxPoints: testPoints, seed: seed,
      gaussianPair: try BuiltInDataset.gaussianPair(source: source, target: target))
    let figure = try TransportFigure.make(
      model: output.model, source: testSource, target: testTarget, history: output.history.map(LossPoint.init),
      segments: segments, title: "NCF: \(source) → \(target) (\(output.steps) steps, \(NumberFormat.seconds(output.seconds)))")
    let report = Report(
      settings: .init(dataset: "\(source)", targetDataset: "\(target)", seed: seed, testPoints: testPoints, cost: cost.name,
                      configuration: settings),
      training: .init(steps: output.steps, seconds: output.seconds, interrupted: output.stoppedEarly,
                      parameters: output.model.network.parameterCount),
      certificate: output.certificate, test: evaluation, files: ["model.ncf", "figure.svg", "report.md", "report.json"])
    return Result(output: output, figure: figure, report: report)
  }
}

extension TransportDemo {
/// The demo's report (report.json; ``markdown`` for report.md).
public struct Report: Sendable, Codable {
  public struct Settings: Sendable, Codable {
    public var dataset: String
    public var targetDataset: String
    public var seed: UInt64
    public var testPoints: Int
    public var cost: String
    public var configuration: NCFTrainingConfiguration
  }
  public struct Training: Sendable, Codable {
    public var steps: Int
    public var seconds: Double
    public var interrupted: Bool
    public var parameters: Int
  }
  public var settings: Settings
  public var training: Training
  public var certificate: TrainingCertificate
  /// Metrics on fresh test samples.
  public var test: NCFEvaluation
  public var files: [String]

/// The report as Markdown (report.md).
public var markdown: String {
  let r = self
    let c = r.settings.configuration
    var s = """
      # NCF demo: \(r.settings.dataset) → \(r.settings.targetDataset)

      ![figure](figure.svg)

      ## Settings

      | setting | value |
      |---|---|
      | source | \(r.settings.dataset) (fresh samples every step) |
      | target | \(r.settings.targetDataset) |
      | cost | \(Cost(r.settings.cost)?.definition ?? r.settings.cost) |
      | network | \(c.width)×\(c.depth) \(c.activation)\(c.residual ? ", residual" : "")\(c.quadraticHead ? ", quadratic head" : ""), \(r.training.parameters) parameters |
      | steps | \(r.training.steps) of \(c.iterations)\(r.training.interrupted ? " (interrupted)" : "") |
      | batch | \(c.energyBatch) (energy), \(c.collocationBatch) (collocation) |
      | learning rate | \(NumberFormat.shortest(c.learningRate)), \(c.schedule.rawValue) schedule |
      | λ | \(NumberFormat.shortest(c.lambda)) |
      | seed | \(r.settings.seed) |
      | training time | \(NumberFormat.seconds(r.training.seconds)) |

      """
    do {
      let cert = r.certificate
      s += """

        ## Held-out certificate (at the end of training)

        | measure | value |
        |---|---|
        | HJ residual (mean squared, model units) | \(NumberFormat.sci(cert.hjResidual)) |
        | energy distance T♯μ vs ν | \(NumberFormat.sci(cert.forwardEnergyDistance)) |
        | energy distance S♯ν vs μ | \(NumberFormat.sci(cert.backwardEnergyDistance)) |
        | mean transport cost E c(x, T(x)) | \(cert.transportCost.map { NumberFormat.fixed($0, 4) } ?? "n/a") |
        | held-out points per side | \(cert.samples) |

        """
    }
    let e = r.test
    s += """

      ## Test metrics (\(r.settings.testPoints) fresh points per side)

      Energy distances are squared energy distances in data units (0 = same distribution).

      | measure | value |
      |---|---|
      | energy distance μ vs ν (no map) | \(NumberFormat.sci(e.referenceEnergyDistance)) |
      | energy distance T♯μ vs ν | \(NumberFormat.sci(e.forwardEnergyDistance)) |
      | energy distance S♯ν vs μ | \(NumberFormat.sci(e.backwardEnergyDistance)) |
      | HJ residual (mean squared, model units) | \(NumberFormat.sci(e.hjResidual)) |
      | mean transport cost E c(x, T(x)) | \(e.transportCost.map { NumberFormat.fixed($0, 4) } ?? "n/a") |

      """
    if let g = e.gaussianBenchmark {
      s += """
        | forward UVP (closed-form map) | \(NumberFormat.fixed(g.forwardUVP, 4)) % |
        | backward UVP | \(NumberFormat.fixed(g.backwardUVP, 4)) % |
        | cos (forward / backward) | \(NumberFormat.fixed(g.forwardCosine, 5)) / \(NumberFormat.fixed(g.backwardCosine, 5)) |

        """
    }
    s += """

      Reproduce: `ncf demo --dataset \(r.settings.dataset) --target-dataset \(r.settings.targetDataset) --iterations \(c.iterations) --batch-size \(c.energyBatch) --points \(r.settings.testPoints) --seed \(r.settings.seed)`

      """
    return s
  }
}
}
