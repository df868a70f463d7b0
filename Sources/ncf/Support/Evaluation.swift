import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// What `ncf eval` (and the demo's report) measures about a model on given
/// source and target samples.
///
/// Energy distances are the squared energy distance U-statistic
/// 2E|X − Y| − E|X − X′| − E|Y − Y′|: it has the units of the data (a
/// length), is 0 exactly when the two distributions agree, and is computed
/// on at most `evaluatedPoints` points per side (its cost grows like n²).
struct Evaluation: Codable {
  var dimension: Int
  var sourcePoints: Int
  var targetPoints: Int
  /// Points per side used for the energy distances and the HJ residual.
  var evaluatedPoints: Int
  /// Source vs target with no map: the distance the map has to close.
  var referenceEnergyDistance: Double
  /// T♯source vs target.
  var forwardEnergyDistance: Double
  /// S♯target vs source.
  var backwardEnergyDistance: Double
  /// Mean squared implicit-HJ residual at points along the forward
  /// characteristics of the source points (model units).
  var hjResidual: Double
  /// Mean transport cost E c(x, T(x)) over all source points (data units).
  var transportCost: Double?
  /// Scores against the closed-form map, when the data are a Gaussian benchmark pair.
  var gaussianBenchmark: GaussianScores?

  struct GaussianScores: Codable {
    var dimension: Int
    /// Unexplained variance of T against the true map, % of tr Σ_target.
    var forwardUVP: Double
    /// Unexplained variance of S against the true inverse map, % of tr Σ_source.
    var backwardUVP: Double
    /// Cosine between estimated and true displacements.
    var forwardCosine: Double
    var backwardCosine: Double
  }

  /// Measures `model` on `source` and `target`.
  static func compute(
    model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, maxPoints: Int, seed: UInt64,
    gaussian: (dimension: Int, pair: GaussianOT)? = nil
  ) -> Evaluation {
    let xs = source.subsample(maxPoints, seed: seed)
    let ys = target.subsample(maxPoints, seed: seed &+ 1)
    let certificate = NCFTrainer.certify(model, source: xs, target: ys, step: model.certificate?.step ?? 0)
    let evaluated = min(xs.rows, ys.rows)
    var cost: Double? = nil
    var scores: GaussianScores? = nil
    if model.cost != nil || gaussian != nil {
      let tx = model.forward(source)
      if let c = model.cost {
        let h = c.hamiltonian
        var total = 0.0
        for i in 0..<source.rows { total += h.cost(from: source.row(i), to: tx.row(i), terminalTime: model.terminalTime) }
        cost = total / Double(source.rows)
      }
      if let (d, pair) = gaussian {
        let sy = model.backward(target)
        let txTrue = pair.forward(source), syTrue = pair.backward(target)
        scores = GaussianScores(
          dimension: d,
          forwardUVP: unexplainedVariancePercentage(estimate: tx, truth: txTrue, totalVariance: pair.target.totalVariance),
          backwardUVP: unexplainedVariancePercentage(estimate: sy, truth: syTrue, totalVariance: pair.source.totalVariance),
          forwardCosine: displacementCosine(source: source, estimate: tx, truth: txTrue),
          backwardCosine: displacementCosine(source: target, estimate: sy, truth: syTrue))
      }
    }
    return Evaluation(
      dimension: model.dimension, sourcePoints: source.rows, targetPoints: target.rows, evaluatedPoints: evaluated,
      referenceEnergyDistance: EnergyDistance(estimator: .uStatistic)(xs, ys).value,
      forwardEnergyDistance: certificate.forwardEnergyDistance, backwardEnergyDistance: certificate.backwardEnergyDistance,
      hjResidual: certificate.hjResidual, transportCost: cost, gaussianBenchmark: scores)
  }

  /// Human-readable lines.
  var lines: [String] {
    var out = [
      "energy distance (squared, data units; 0 = same distribution; \(evaluatedPoints) points per side):",
      "  source vs target, no map        \(Text.sci(referenceEnergyDistance))",
      "  T♯source vs target (forward)    \(Text.sci(forwardEnergyDistance))\(reduction(forwardEnergyDistance))",
      "  S♯target vs source (backward)   \(Text.sci(backwardEnergyDistance))\(reduction(backwardEnergyDistance))",
      "HJ residual (mean squared, model units)   \(Text.sci(hjResidual))",
      "mean transport cost E c(x, T(x))          \(transportCost.map { Text.fixed($0, 4) } ?? "n/a")",
    ]
    if let g = gaussianBenchmark {
      out.append("Gaussian benchmark d=\(g.dimension) (closed-form map): forward UVP \(Text.fixed(g.forwardUVP, 4))%, backward UVP \(Text.fixed(g.backwardUVP, 4))%, cos \(Text.fixed(g.forwardCosine, 5)) / \(Text.fixed(g.backwardCosine, 5))")
    }
    return out
  }

  private func reduction(_ value: Double) -> String {
    guard referenceEnergyDistance > 0, value.isFinite else { return "" }
    // The unbiased estimate scatters around 0 once the map is exact.
    if value <= 0 { return "   (≤ 0: at the sampling-noise level)" }
    return String(format: "   (%.2f%% of no map)", 100 * value / referenceEnergyDistance)
  }
}

/// JSON output shared by the commands: sorted keys, NaN/Inf as strings.
enum JSONOutput {
  static func string<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

/// The training certificate in JSON-friendly form.
struct CertificateSummary: Codable {
  var hjResidual: Double
  var forwardEnergyDistance: Double
  var backwardEnergyDistance: Double
  var transportCost: Double?
  var heldOutPoints: Int
  var step: Int

  init(_ c: TrainingCertificate) {
    hjResidual = c.hjResidual
    forwardEnergyDistance = c.forwardEnergyDistance
    backwardEnergyDistance = c.backwardEnergyDistance
    transportCost = c.transportCost
    heldOutPoints = c.samples
    step = c.step
  }

  var lines: [String] {
    [
      "held-out certificate (\(heldOutPoints) points per side, step \(step)):",
      "  HJ residual (mean squared, model units)     \(Text.sci(hjResidual))",
      "  energy distance T♯source vs target          \(Text.sci(forwardEnergyDistance))",
      "  energy distance S♯target vs source          \(Text.sci(backwardEnergyDistance))",
      "  mean transport cost E c(x, T(x))            \(transportCost.map { Text.fixed($0, 4) } ?? "n/a")",
    ]
  }
}
