import Testing
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// Short seeded runs of the `enot` signal (fixed step counts, not time limits).
@Suite(.serialized) struct ExpectileDualTrainingTests {
  static func config(iterations: Int) -> NCFTrainingConfiguration {
    var c = TrainingTests.config(iterations: iterations, batch: 512)
    c.signal = .enot
    return c
  }

  /// T(x)ᵢ = xᵢ + 0.6·tanh(2xᵢ), the Brenier map from N(0, I) (see
  /// TrainingTests.trainingLearnsWhatTheMomentsMiss): the signal must learn
  /// what the moments miss, in both directions.
  @Test func learnsANonLinearMapInBothDirections() throws {
    @Sendable func brenier(_ x: Tensor<Double>) -> Tensor<Double> { x.map { $0 + 0.6 * Foundation.tanh(2 * $0) } }
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng) },
      target: .sampler(dimension: 2) { n, rng in brenier(Tensor<Double>.normal(rows: n, columns: 2, using: &rng)) })
    var rng = SeededRandom(seed: 5)
    let x = Tensor<Double>.normal(rows: 8192, columns: 2, using: &rng)
    let y = brenier(x)
    let varianceY = 2 * (0..<8192).reduce(0.0) { $0 + y[$1, 0] * y[$1, 0] } / 8192
    func scores(_ m: NCFModel) -> (forward: Double, backward: Double) {
      (unexplainedVariancePercentage(estimate: m.forward(x), truth: y, totalVariance: varianceY),
       unexplainedVariancePercentage(estimate: m.backward(y), truth: x, totalVariance: 2))
    }
    let start = scores(try NCFSolver(settings: Self.config(iterations: 0)).solve(problem).model)
    let output = try NCFSolver(settings: Self.config(iterations: 600)).solve(problem)
    let trained = scores(output.model)
    #expect(start.forward > 0.3 && start.backward > 0.3, "the moment map should be visibly wrong here: \(start)")
    #expect(trained.forward < start.forward / 5, "forward UVP from the moments \(start.forward)%, trained \(trained.forward)%")
    #expect(trained.backward < start.backward / 5, "backward UVP from the moments \(start.backward)%, trained \(trained.backward)%")
    #expect(output.history.allSatisfy { $0.totalLoss.isFinite && $0.hjLoss.isFinite && $0.energyDistance.isNaN })
  }

  @Test func sameSeedSameModel() throws {
    let pair = try GaussianBenchmark.pair(dimension: 3)
    let a = try NCFSolver(settings: Self.config(iterations: 30)).solve(TrainingTests.gaussianProblem(pair))
    let b = try NCFSolver(settings: Self.config(iterations: 30)).solve(TrainingTests.gaussianProblem(pair))
    #expect(a.model.parameters == b.model.parameters)
    var other = Self.config(iterations: 30)
    other.seed = 2
    let c = try NCFSolver(settings: other).solve(TrainingTests.gaussianProblem(pair))
    #expect(a.model.parameters != c.model.parameters)
  }

  /// The dual is written for the quadratic cost and unlabelled rows: other
  /// problems are refused with a message, not trained wrongly.
  @Test func refusesCostsAndLabelsItCannotFit() throws {
    var rng = SeededRandom(seed: 3)
    let x = Tensor<Double>.normal(rows: 200, columns: 2, using: &rng), y = Tensor<Double>.normal(rows: 200, columns: 2, mean: 1, using: &rng)
    let settings = Self.config(iterations: 5)
    #expect {
      try NCFSolver(settings: settings).solve(NCFProblem(source: x, target: y, cost: .pnormp(1.5)))
    } throws: { "\($0)".contains("quadratic cost") }
    let labels = (0..<200).map { $0 % 2 }
    #expect {
      try NCFSolver(settings: settings).solve(NCFProblem(source: x, target: y, sourceLabels: labels, targetLabels: labels))
    } throws: { "\($0)".contains("labelled") }
  }
}
