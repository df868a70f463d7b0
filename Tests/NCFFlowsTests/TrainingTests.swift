import Testing
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// Short seeded training runs (fixed iteration counts, not time limits).
@Suite(.serialized) struct TrainingTests {
  static func config(iterations: Int, batch: Int = 1024) -> NCFTrainingConfiguration {
    var c = NCFTrainingConfiguration()
    c.iterations = iterations
    c.energyBatch = batch
    c.collocationBatch = batch
    c.validationInterval = 0
    c.validationSize = 1024
    c.logInterval = 50
    c.seed = 1
    return c
  }

  static func gaussianProblem(_ pair: GaussianOT) -> NCFProblem {
    let d = pair.source.dimension
    return NCFProblem(
      source: .sampler(dimension: d) { n, rng in pair.source.sample(n, using: &rng) },
      target: .sampler(dimension: d) { n, rng in pair.target.sample(n, using: &rng) })
  }

  static func uvp(_ model: NCFModel, _ pair: GaussianOT) throws -> (forward: Double, backward: Double) {
    var rng = SeededRandom(seed: 42)
    let x: Tensor<Double> = pair.source.sample(8192, using: &rng)
    let y: Tensor<Double> = pair.target.sample(8192, using: &rng)
    let scores = try GaussianMapScores(model: model, pair: pair, source: x, target: y)
    return (scores.forwardUVP, scores.backwardUVP)
  }

  /// Trains on the d = 2 benchmark pair and scores the model.
  static func trainOnThePair(_ c: NCFTrainingConfiguration) throws -> (output: NCFOutput, forward: Double, backward: Double) {
    let pair = try GaussianBenchmark.pair(dimension: 2)
    let output = try NCFSolver(settings: c).solve(gaussianProblem(pair))
    let (f, b) = try uvp(output.model, pair)
    return (output, f, b)
  }

  /// The network learns the map from scratch (head at zero, so nothing is
  /// given by the data's moments).
  @Test func gaussianPairInTwoDimensionsReachesOnePercentUVPFromScratch() throws {
    var c = Self.config(iterations: 1000)
    c.headInitialization = .zero
    let (result, f, b) = try Self.trainOnThePair(c)
    #expect(f < 1, "forward UVP \(f)%")
    #expect(b < 1, "backward UVP \(b)%")
    // The held-out certificate is consistent with a good map.
    let cert = try #require(result.model.certificate)
    #expect(cert.hjResidual < 1e-3 && cert.forwardEnergyDistance < 1e-2 && cert.backwardEnergyDistance < 1e-2)
    // History is recorded and finite.
    #expect(result.history.count == 1000 / 50)
    #expect(result.history.allSatisfy { $0.hjLoss.isFinite && $0.totalLoss.isFinite })
  }

  /// A non-linear problem with a known optimal map, where the moments
  /// (a linear map) are not enough: T(x)ᵢ = xᵢ + 0.6·tanh(2xᵢ) is the gradient
  /// of the convex ½|x|² + 0.3·Σ log cosh(2xᵢ), hence the Brenier map from
  /// N(0, I) to its push-forward. Training must improve a lot on the
  /// moment initialisation.
  @Test func trainingLearnsWhatTheMomentsMiss() throws {
    @Sendable func brenier(_ x: Tensor<Double>) -> Tensor<Double> { x.map { $0 + 0.6 * Foundation.tanh(2 * $0) } }
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng) },
      target: .sampler(dimension: 2) { n, rng in brenier(Tensor<Double>.normal(rows: n, columns: 2, using: &rng)) })
    var rng = SeededRandom(seed: 5)
    let x = Tensor<Double>.normal(rows: 8192, columns: 2, using: &rng)
    let truth = brenier(x)
    let variance = 2 * (0..<8192).reduce(0.0) { $0 + truth[$1, 0] * truth[$1, 0] } / 8192
    func uvp(_ m: NCFModel) -> Double { unexplainedVariancePercentage(estimate: m.forward(x), truth: truth, totalVariance: variance) }
    let start = uvp(try NCFSolver(settings: Self.config(iterations: 0)).solve(problem).model)
    let trained = uvp(try NCFSolver(settings: Self.config(iterations: 600)).solve(problem).model)
    #expect(start > 0.3, "the linear (moment) map should be visibly wrong here, UVP \(start)%")
    #expect(trained < start / 5, "UVP from moments alone \(start)%, after training \(trained)%")
  }

  /// The optional backward energy term trains S directly: on a target of
  /// four tight clusters (where S must split each cluster over a quadrant)
  /// the held-out backward energy distance drops a lot, with the same steps.
  @Test func backwardTermFitsTheBackwardMap() throws {
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, using: &rng) },
      target: .sampler(dimension: 2) { n, rng in
        var y = Tensor<Double>.normal(rows: n, columns: 2, standardDeviation: 0.15, using: &rng)
        for i in 0..<n {
          y[i, 0] += i % 2 == 0 ? 2 : -2
          y[i, 1] += (i / 2) % 2 == 0 ? 2 : -2
        }
        return y
      })
    func trained(backward: Double) throws -> TrainingCertificate {
      var c = Self.config(iterations: 400, batch: 512)
      c.backwardLambda = backward
      return try #require(try NCFSolver(settings: c).solve(problem).model.certificate)
    }
    let plain = try trained(backward: 0), both = try trained(backward: 1)
    #expect(both.backwardEnergyDistance < plain.backwardEnergyDistance / 3,
            "backward energy distance \(plain.backwardEnergyDistance) without the term, \(both.backwardEnergyDistance) with it")
    #expect(both.forwardEnergyDistance < 0.05, "forward energy distance \(both.forwardEnergyDistance)")
  }

  @Test func sameSeedSameModel() throws {
    let pair = try GaussianBenchmark.pair(dimension: 2)
    let a = try NCFSolver(settings: Self.config(iterations: 30, batch: 256)).solve(Self.gaussianProblem(pair))
    let b = try NCFSolver(settings: Self.config(iterations: 30, batch: 256)).solve(Self.gaussianProblem(pair))
    #expect(a.model.parameters == b.model.parameters)
    var c = Self.config(iterations: 30, batch: 256)
    c.seed = 2
    #expect(try NCFSolver(settings: c).solve(Self.gaussianProblem(pair)).model.parameters != a.model.parameters)
  }

  /// The HJ-PINN ablation trains through the same machinery.
  @Test func pinnVariantTrains() throws {
    var c = Self.config(iterations: 400)
    c.hjLoss = .pinn
    let (result, f, b) = try Self.trainOnThePair(c)
    #expect(f < 1 && b < 1, "PINN forward \(f)%, backward \(b)%")
    #expect(result.history.allSatisfy { $0.hjLoss.isFinite })
  }

  /// General cost: for a pure translation every strictly convex cost
  /// c(x, y) = h*(y − x) has the translation as its optimal map, so the
  /// pnormp:1.5 cost (h(p) = Σ|pᵢ|³/3) must learn x ↦ x + shift in both directions.
  @Test func lpCostLearnsATranslation() throws {
    let shift = [1.5, -0.75]
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, rng in Tensor<Double>.normal(rows: n, columns: 2, standardDeviation: 0.7, using: &rng) },
      target: .sampler(dimension: 2) { n, rng in
        Tensor<Double>.normal(rows: n, columns: 2, standardDeviation: 0.7, using: &rng) + Tensor(row: shift)
      }, cost: .pnormp(1.5))
    let result = try NCFSolver(settings: Self.config(iterations: 600)).solve(problem)
    var rng = SeededRandom(seed: 3)
    let x = Tensor<Double>.normal(rows: 4096, columns: 2, standardDeviation: 0.7, using: &rng)
    let fwdErr = (result.model.forward(x) - (x + Tensor(row: shift))).squared().mean()
    let bwdErr = (result.model.backward(x + Tensor(row: shift)) - x).squared().mean()
    // Relative to the squared shift length 2.8: below 1 %.
    #expect(fwdErr < 0.028, "forward MSE \(fwdErr)")
    #expect(bwdErr < 0.028, "backward MSE \(bwdErr)")
  }

  /// Class-conditional transport must follow the labels even where the
  /// unconditional optimal map would not: classes swap sides.
  @Test func classConditionalTransportFollowsLabels() throws {
    var rng = SeededRandom(seed: 4)
    func blob(_ n: Int, _ cx: Double) -> Tensor<Double> {
      Tensor<Double>.normal(rows: n, columns: 2, standardDeviation: 0.3, using: &rng) + Tensor(row: [cx, 0])
    }
    let source = Tensor.concatenatingRows([blob(400, -2), blob(400, 2)])
    let target = Tensor.concatenatingRows([blob(400, 2), blob(400, -2)])  // class 0 now on the right
    let labels = Array(repeating: 0, count: 400) + Array(repeating: 1, count: 400)
    var c = Self.config(iterations: 500, batch: 512)
    c.validationSize = 100
    let result = try NCFSolver(settings: c).solve(NCFProblem(source: source, target: target, sourceLabels: labels, targetLabels: labels))
    let mapped = result.model.forward(source)
    let meanX0 = (0..<400).reduce(0.0) { $0 + mapped[$1, 0] } / 400
    let meanX1 = (400..<800).reduce(0.0) { $0 + mapped[$1, 0] } / 400
    #expect(meanX0 > 1.5, "class 0 should move right, mean x = \(meanX0)")
    #expect(meanX1 < -1.5, "class 1 should move left, mean x = \(meanX1)")
  }

  @Test func invalidSettingsAndProblemsAreRejected() {
    var c = NCFTrainingConfiguration()
    c.learningRate = -1
    #expect(throws: NCFSolverError.self) {
      try NCFSolver(settings: c).solve(NCFProblem(source: .zeros(rows: 10, columns: 2), target: .zeros(rows: 10, columns: 2)))
    }
    let bad = NCFProblem(source: .zeros(rows: 10, columns: 2), target: .zeros(rows: 10, columns: 3))
    #expect(bad.issue == .dimensionMismatch(source: 2, target: 3))
    var nan = Tensor<Double>.zeros(rows: 10, columns: 2)
    nan[3, 1] = .nan
    #expect(NCFProblem(source: nan, target: .zeros(rows: 10, columns: 2)).issue?.description.contains("row 3") == true)
    let labels = NCFProblem(source: .zeros(rows: 4, columns: 1), target: .zeros(rows: 4, columns: 1),
                            sourceLabels: [0, 0, 1, 1], targetLabels: [0, 0, 2, 2])
    #expect(labels.issue?.description.contains("label sets differ") == true)
  }

  @Test func nonFiniteLossStopsWithTheLastGoodModel() throws {
    var c = Self.config(iterations: 200, batch: 128)
    c.learningRate = 1e6  // diverges
    c.gradientClipNorm = nil
    c.warmupSteps = 0
    let pair = try GaussianBenchmark.pair(dimension: 2)
    do {
      _ = try NCFSolver(settings: c).solve(Self.gaussianProblem(pair))
      Issue.record("training with a learning rate of 1e6 should diverge")
    } catch NCFSolverError.nonFiniteLoss(let step, _, _, let lastGood) {
      #expect(step > 0)
      #expect(lastGood.parameters.isFinite)
    }
  }

  @Test func progressCallbackCanStopTraining() throws {
    let pair = try GaussianBenchmark.pair(dimension: 2)
    var calls = 0
    let result = try NCFSolver(settings: Self.config(iterations: 500, batch: 128)).solve(Self.gaussianProblem(pair)) { _ in
      calls += 1
      return calls < 2
    }
    #expect(result.stoppedEarly && result.steps == 100)
    var polls = 0
    let stopped = try NCFSolver(settings: Self.config(iterations: 500, batch: 128)).solve(Self.gaussianProblem(pair), shouldStop: {
      polls += 1
      return polls > 7
    })
    #expect(stopped.stoppedEarly && stopped.steps == 7)
  }
}
