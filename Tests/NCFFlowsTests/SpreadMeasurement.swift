import Testing
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// The measurement behind ``SampleSpread/minimumRelativeSpread`` (opt-in, about
/// 3 minutes): training as one side shrinks towards a point, through samplers,
/// which the spread check cannot see. Run with
/// `NCF_SPREAD_MEASUREMENT=1 ./scripts/test.sh --filter SpreadMeasurement`;
/// it prints one line per run and checks only that every number is finite.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NCF_SPREAD_MEASUREMENT"] != nil))
struct SpreadMeasurement {
  @Test(arguments: ["source", "target"])
  func narrowSide(side: String) throws {
    for r in [1, 0.1, 1e-2, 5e-3, 3e-3, 2e-3, 1e-3, 1e-4, 0] {
      var c = NCFTrainingConfiguration()
      c.iterations = 500
      c.energyBatch = 256
      c.collocationBatch = 256
      c.validationSize = 512
      c.validationInterval = 0
      c.width = 32
      c.seed = 3
      let narrow: @Sendable (Int, inout SeededRandom) -> Tensor<Double> = { n, rng in
        Tensor<Double>.normal(rows: n, columns: 2, using: &rng).map { 3 + r * $0 }
      }
      let wide: @Sendable (Int, inout SeededRandom) -> Tensor<Double> = { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng) }
      let problem = side == "target"
        ? NCFProblem(source: .sampler(dimension: 2, wide), target: .sampler(dimension: 2, narrow))
        : NCFProblem(source: .sampler(dimension: 2, narrow), target: .sampler(dimension: 2, wide))
      var rng = SeededRandom(seed: 99)
      let xs = side == "target" ? wide(2000, &rng) : narrow(2000, &rng)
      let ys = side == "target" ? narrow(2000, &rng) : wide(2000, &rng)
      let unmapped = EnergyDistance(estimator: .uStatistic)(xs, ys).value
      let relative = SampleSpread.rms(side == "target" ? ys : xs) / SampleSpread.rms(Tensor.concatenatingRows([xs, ys]))
      let model = try NCFSolver(settings: c).solve(problem).model
      let cert = TrainingCertificate(measuring: model, source: xs, target: ys, step: c.iterations)
      print(String(format: "spread %@ r = %.0e (relative to pooled %.1e): HJ %.2e, forward %.2f%%, backward %.2f%% of the unmapped %.3f",
                   side, r, relative, cert.hjResidual, 100 * cert.forwardEnergyDistance / unmapped,
                   100 * cert.backwardEnergyDistance / unmapped, unmapped))
      #expect(cert.hjResidual.isFinite && cert.forwardEnergyDistance.isFinite && cert.backwardEnergyDistance.isFinite)
    }
  }
}
