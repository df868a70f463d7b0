import Foundation
import NCFFlows
import NCFTransport
import NCFFileSystem

/// One row of a colour-transfer report: a method's scores against the
/// reference image.
public struct ColorTransferScore: Sendable, Equatable, Codable {
  /// "identity", "NCF", "exact OT" or "Sinkhorn".
  public var method: String
  /// EMD (↓) and HI (↑); see ``ColorHistogramMetric``.
  public var emd: Double
  public var hi: Double
  /// The scores under the report's secondary metric, if any.
  public var secondary: ColorDistance?
  /// How the row was obtained (sample size, convergence, …).
  public var note: String?

  /// - Parameter distances: the scores under the main metric, then (optionally) the secondary one.
  public init(method: String, distances: [ColorDistance], note: String? = nil) {
    precondition(!distances.isEmpty, "a score row needs at least one distance")
    self.method = method
    emd = distances[0].emd
    hi = distances[0].hi
    secondary = distances.count > 1 ? distances[1] : nil
    self.note = note
  }
}

/// Everything a colour-transfer run measured; encodes to the `--report` JSON.
public struct ColorTransferReport: Sendable, Codable {
  /// An input image.
  public struct ImageInfo: Sendable, Codable, Equatable {
    public var path: String?
    public var width: Int
    public var height: Int

    public init(path: String?, width: Int, height: Int) {
      self.path = path
      self.width = width
      self.height = height
    }
  }

  /// A metric's settings, spelled out.
  public struct MetricInfo: Sendable, Codable, Equatable {
    public var layout: String
    public var bins: Int
    public var definition: String

    public init(_ metric: ColorHistogramMetric) {
      layout = metric.layout.rawValue
      bins = metric.bins
      switch metric.layout {
      case .joint:
        definition = metric.description
          + "; HI = Σ min(p, q) on normalised histograms; EMD = exact W1 between the histograms"
          + " with the Euclidean distance between bin centres in the [0, 1] RGB cube"
      case .perChannel:
        definition = metric.description
          + "; HI = Σ min(p, q) per channel; EMD = 1-D W1 per channel in [0, 1] units (from the CDFs)"
      }
    }
  }

  /// The scores of one direction.
  public struct DirectionReport: Sendable, Codable, Equatable {
    /// "content → style" (forward) or "style → content" (backward).
    public var direction: String
    /// Pixels of the recoloured image the scores are computed on.
    public var evaluationPixels: Int
    /// Pixels of the reference image (all of them are histogrammed).
    public var referencePixels: Int
    public var scores: [ColorTransferScore]

    public init(direction: String, evaluationPixels: Int, referencePixels: Int, scores: [ColorTransferScore]) {
      self.direction = direction
      self.evaluationPixels = evaluationPixels
      self.referencePixels = referencePixels
      self.scores = scores
    }

    /// The row of `method`, if present.
    public func score(_ method: String) -> ColorTransferScore? { scores.first { $0.method == method } }
  }

  /// How the NCF model was obtained.
  public struct TrainingInfo: Sendable, Codable, Equatable {
    /// A model file that was loaded instead of training, if any.
    public var loadedFrom: String?
    public var steps: Int
    public var iterations: Int
    public var seconds: Double
    public var width: Int
    public var depth: Int
    public var energyBatch: Int
    public var collocationBatch: Int
    public var learningRate: Double
    public var lambda: Double
    public var seed: UInt64
    /// The model's cost (``Cost/name``), nil for a custom Hamiltonian.
    public var cost: String?
    /// Held-out squared energy distances of T♯(content) vs style and S♯(style) vs content (colour units).
    public var heldOutForwardEnergy: Double?
    public var heldOutBackwardEnergy: Double?
    /// Held-out implicit-HJ residual (model units).
    public var hjResidual: Double?

    public init(model: NCFModel, steps: Int, seconds: Double, loadedFrom: String? = nil) {
      let c = model.configuration ?? NCFTrainingConfiguration()
      self.loadedFrom = loadedFrom
      self.steps = steps
      iterations = c.iterations
      self.seconds = seconds
      width = c.width
      depth = c.depth
      energyBatch = c.energyBatch
      collocationBatch = c.collocationBatch
      learningRate = c.learningRate
      lambda = c.lambda
      seed = c.seed
      cost = model.cost?.name
      heldOutForwardEnergy = model.certificate?.forwardEnergyDistance
      heldOutBackwardEnergy = model.certificate?.backwardEnergyDistance
      hjResidual = model.certificate?.hjResidual
    }
  }

  /// The exact-OT baseline's solve.
  public struct ExactInfo: Sendable, Codable, Equatable {
    public var samples: Int
    /// Σ Pᵢⱼ‖xᵢ − yⱼ‖² of the plan (uniform weights 1/n).
    public var cost: Double
    public var certified: Bool
    public var status: String
    public var pivots: Int
    public var reducedCostViolation: Double
    public var seconds: Double
  }

  /// The Sinkhorn baseline's solve.
  public struct SinkhornInfo: Sendable, Codable, Equatable {
    public var samples: Int
    public var epsilon: Double
    public var converged: Bool
    public var iterations: Int
    public var marginalError: Double
    /// ⟨P, C⟩ of the entropic plan.
    public var transportCost: Double
    public var seconds: Double
  }

  public var content: ImageInfo
  public var style: ImageInfo
  /// The main metric (the `emd` and `hi` of every row).
  public var metric: MetricInfo
  /// The secondary metric (the `secondary` scores of every row), if any.
  public var secondaryMetric: MetricInfo?
  public var forward: DirectionReport
  public var backward: DirectionReport?
  public var training: TrainingInfo
  public var exact: ExactInfo?
  public var sinkhorn: SinkhornInfo?
  /// Wall-clock seconds of each phase ("training", "mapping", "baselines", "evaluation", "total").
  public var seconds: [String: Double]

  public init(
    content: ImageInfo, style: ImageInfo, metric: ColorHistogramMetric, secondaryMetric: ColorHistogramMetric? = nil,
    forward: DirectionReport,
    backward: DirectionReport?, training: TrainingInfo, baselines: DiscreteColorBaselines?, seconds: [String: Double]
  ) {
    self.content = content
    self.style = style
    self.metric = MetricInfo(metric)
    self.secondaryMetric = secondaryMetric.map(MetricInfo.init)
    self.forward = forward
    self.backward = backward
    self.training = training
    if let b = baselines {
      let n = b.sourceSample.rows
      exact = ExactInfo(
        samples: n, cost: b.exact.cost, certified: b.exact.isOptimal, status: b.exact.status.rawValue,
        pivots: b.exact.iterations, reducedCostViolation: b.exact.certificate.maxReducedCostViolation,
        seconds: b.exactSeconds)
      sinkhorn = SinkhornInfo(
        samples: n, epsilon: b.sinkhorn.targetEpsilon, converged: b.sinkhorn.converged, iterations: b.sinkhorn.iterations,
        marginalError: b.sinkhorn.marginalError, transportCost: b.sinkhorn.transportCost, seconds: b.sinkhornSeconds)
    }
    self.seconds = seconds
  }

  /// Pretty-printed JSON with sorted keys (``JSONFormat``).
  public func json() throws -> Data {
    try JSONFormat.encoder(.pretty).encode(self)
  }

  /// A plain-text table of one direction's rows, with the secondary
  /// metric's columns when the rows have them:
  ///
  ///     method      EMD ↓       HI ↑     EMD₂ ↓      HI₂ ↑    note
  ///     NCF         1.21e-02    0.8339   2.39e-03    0.9029   forward map T
  public static func table(_ d: DirectionReport) -> String {
    let width = max(10, d.scores.map(\.method.count).max() ?? 0)
    let secondary = d.scores.contains { $0.secondary != nil }
    func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
    var header = "  " + pad("method", width) + "  " + pad("EMD ↓", 10) + "  " + pad("HI ↑", 7)
    if secondary { header += "  " + pad("EMD₂ ↓", 10) + "  " + pad("HI₂ ↑", 7) }
    var lines = [header + "  note"]
    for s in d.scores {
      var line = "  " + pad(s.method, width) + "  " + pad(String(format: "%.3e", s.emd), 10) + "  "
        + pad(String(format: "%.4f", s.hi), 7)
      if secondary {
        line += "  " + pad(s.secondary.map { String(format: "%.3e", $0.emd) } ?? "–", 10) + "  "
          + pad(s.secondary.map { String(format: "%.4f", $0.hi) } ?? "–", 7)
      }
      lines.append(line + "  " + (s.note ?? ""))
    }
    return lines.joined(separator: "\n")
  }
}
