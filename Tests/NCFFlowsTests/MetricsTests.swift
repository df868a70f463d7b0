import Testing
import NCFTensor
import NCFTransport
import NCFFlows

/// The metrics every command reports (`eval`, `demo`, `bench gaussian`, the
/// training certificate) come from one place and mean what they say.
@Suite struct MetricsTests {
  /// The Gaussian-benchmark pair in d = 2 and the model the moment-started
  /// head gives for it without training: close to the closed-form map.
  static func momentModel() throws -> (GaussianOT, NCFModel) {
    let pair = try GaussianBenchmark.pair(dimension: 2)
    var c = NCFTrainingConfiguration()
    c.iterations = 0
    c.validationSize = 512
    let problem = NCFProblem(
      source: .sampler(dimension: 2) { n, rng in pair.source.sample(n, using: &rng) },
      target: .sampler(dimension: 2) { n, rng in pair.target.sample(n, using: &rng) })
    return (pair, try NCFSolver(settings: c).solve(problem).model)
  }

  @Test func evaluationMatchesItsDefinitions() throws {
    let (pair, model) = try Self.momentModel()
    var rng = SeededRandom(seed: 9)
    let x: Tensor<Double> = pair.source.sample(700, using: &rng)
    let y: Tensor<Double> = pair.target.sample(600, using: &rng)
    let e = try NCFEvaluation(model: model, source: x, target: y, maxPoints: 500, seed: 4, gaussianPair: pair)
    let xs = x.subsample(500, seed: 4), ys = y.subsample(500, seed: 5)
    #expect(xs.rows == 500 && ys.rows == 500 && e.evaluatedPoints == 500)
    #expect(e.sourcePoints == 700 && e.targetPoints == 600 && e.dimension == 2)
    let energy = EnergyDistance(estimator: .uStatistic)
    #expect(e.referenceEnergyDistance == energy(xs, ys).value)
    #expect(e.forwardEnergyDistance == energy(model.forward(xs), ys).value)
    #expect(e.backwardEnergyDistance == energy(model.backward(ys), xs).value)
    // Quadratic cost: E c(x, T(x)) = ½ E‖x − T(x)‖² over every source point.
    let tx = model.forward(x)
    let half = (0..<x.rows).reduce(0.0) { s, i in s + 0.5 * zip(x.row(i), tx.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
    #expect(abs(try #require(e.transportCost) - half / Double(x.rows)) < 1e-12)
    // Near the cost of the closed-form map on the same points.
    let truth = pair.forward(x)
    let exact = (0..<x.rows).reduce(0.0) { s, i in s + 0.5 * zip(x.row(i), truth.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
    #expect(abs(try #require(e.transportCost) / (exact / Double(x.rows)) - 1) < 0.01)
    let g = try #require(e.gaussianBenchmark)
    #expect(try g == GaussianMapScores(model: model, pair: pair, source: x, target: y))
    #expect(g.forwardUVP < 0.1 && g.backwardUVP < 0.1 && g.forwardCosine > 0.999 && g.backwardCosine > 0.999)
    // The evaluation's HJ residual and energy distances are the certificate's on the same points.
    let certificate = TrainingCertificate(measuring: model, source: xs, target: ys, step: 0)
    #expect(certificate.hjResidual == e.hjResidual && certificate.forwardEnergyDistance == e.forwardEnergyDistance)
  }

  @Test func uvpAndCosineMeasureTheMapError() throws {
    let (pair, model) = try Self.momentModel()
    var rng = SeededRandom(seed: 10)
    let x: Tensor<Double> = pair.source.sample(400, using: &rng)
    let y: Tensor<Double> = pair.target.sample(400, using: &rng)
    let s = try GaussianMapScores(model: model, pair: pair, source: x, target: y)
    let tx = model.forward(x), truth = pair.forward(x)
    let sse = (tx - truth).squared().sum() / Double(x.rows)
    #expect(abs(s.forwardUVP - 100 * sse / pair.target.totalVariance) < 1e-9 * max(s.forwardUVP, 1))
  }

  /// `bench gaussian` scores with the same function as `eval --gaussian-benchmark`.
  @Test func benchmarkRowsAreTheSharedScores() throws {
    var c = NCFTrainingConfiguration()
    c.iterations = 0
    c.validationSize = 512
    let row = try GaussianBenchmarkRunner.run(dimension: 2, configuration: c, testPoints: 1024)
    let (pair, model) = try Self.momentModel()
    var rng = SeededRandom(seed: 0x7E57 &+ 2)
    let x: Tensor<Double> = pair.source.sample(1024, using: &rng)
    let y: Tensor<Double> = pair.target.sample(1024, using: &rng)
    let s = try GaussianMapScores(model: model, pair: pair, source: x, target: y)
    #expect(row.forwardUVP == s.forwardUVP && row.backwardUVP == s.backwardUVP)
    #expect(row.forwardCosine == s.forwardCosine && row.backwardCosine == s.backwardCosine)
  }
}
