import NCFTensor
import NCFTransport
import NCFFlows

/// The text the commands print for the library's metrics.
enum Summary {
  /// The held-out certificate (`ncf train`).
  static func lines(_ c: TrainingCertificate) -> [String] {
    (c.checkpoint.map { ["checkpoint: \($0.summary)"] } ?? []) + [
      "held-out certificate (\(c.samples) points per side, step \(c.step)):",
      "  HJ residual (mean squared, model units)     \(NumberFormat.sci(c.hjResidual))",
      "  energy distance T♯source vs target          \(NumberFormat.sci(c.forwardEnergyDistance))",
      "  energy distance S♯target vs source          \(NumberFormat.sci(c.backwardEnergyDistance))",
      "  mean transport cost E c(x, T(x))            \(c.transportCost.map { NumberFormat.fixed($0, 4) } ?? "n/a")",
    ]
  }

  /// An evaluation (`ncf eval`, `ncf demo`).
  static func lines(_ e: NCFEvaluation) -> [String] {
    func reduction(_ value: Double) -> String {
      guard e.referenceEnergyDistance > 0, value.isFinite else { return "" }
      // The unbiased estimate scatters around 0 once the map is exact.
      if value <= 0 { return "   (≤ 0: at the sampling-noise level)" }
      return "   (\(NumberFormat.fixed(100 * value / e.referenceEnergyDistance, 2))% of no map)"
    }
    var out = [
      "energy distance (squared, data units; 0 = same distribution; \(e.evaluatedPoints) points per side):",
      "  source vs target, no map        \(NumberFormat.sci(e.referenceEnergyDistance))",
      "  T♯source vs target (forward)    \(NumberFormat.sci(e.forwardEnergyDistance))\(reduction(e.forwardEnergyDistance))",
      "  S♯target vs source (backward)   \(NumberFormat.sci(e.backwardEnergyDistance))\(reduction(e.backwardEnergyDistance))",
      "HJ residual (mean squared, model units)   \(NumberFormat.sci(e.hjResidual))",
      "mean transport cost E c(x, T(x))          \(e.transportCost.map { NumberFormat.fixed($0, 4) } ?? "n/a")",
    ]
    if let g = e.gaussianBenchmark {
      out.append("Gaussian benchmark d=\(g.dimension) (closed-form map): forward UVP \(NumberFormat.fixed(g.forwardUVP, 4))%, backward UVP \(NumberFormat.fixed(g.backwardUVP, 4))%, cos \(NumberFormat.fixed(g.forwardCosine, 5)) / \(NumberFormat.fixed(g.backwardCosine, 5))")
    }
    return out
  }

  /// The cost line every training command prints.
  static func cost(_ cost: Cost?) -> String {
    "cost: " + (cost?.definition ?? "custom Hamiltonian")
  }
}
