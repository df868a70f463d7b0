import Testing
import NCFTensor
import NCFAutodiff
import NCFTransport
import NCFFlows
import NCFTestSupport

@Suite struct EnergyDistanceTests {
  @Test(arguments: [1, 2, 7, 20], [EnergyDistance.Estimator.uStatistic, .vStatistic])
  func matchesBruteForce(d: Int, estimator: EnergyDistance.Estimator) {
    var rng = SeededRandom(seed: UInt64(d))
    let a = Tensor<Double>.normal(rows: 33, columns: d, using: &rng)
    let b = Tensor<Double>.normal(rows: 41, columns: d, mean: 0.3, using: &rng)
    let tape = Tape<Double>()
    let e = NCFLosses.energyDistance(tape.constant(a), tape.constant(b), estimator: estimator).value.scalar
    #expect(abs(e - bruteForceEnergyDistance(a, b, unbiased: estimator == .uStatistic)) < 1e-12)
  }

  @Test func vStatisticIsZeroForIdenticalSamplesAndPositiveOtherwise() {
    var rng = SeededRandom(seed: 3)
    let a = Tensor<Double>.normal(rows: 50, columns: 3, using: &rng)
    let tape = Tape<Double>()
    #expect(abs(NCFLosses.energyDistance(tape.constant(a), tape.constant(a), estimator: .vStatistic).value.scalar) < 1e-14)
    let shifted = a + 0.5
    #expect(NCFLosses.energyDistance(tape.constant(a), tape.constant(shifted), estimator: .vStatistic).value.scalar > 0.1)
  }

  @Test func gradientMatchesFiniteDifferences() {
    var rng = SeededRandom(seed: 4)
    let a = Tensor<Double>.normal(rows: 9, columns: 2, using: &rng)
    let b = Tensor<Double>.normal(rows: 7, columns: 2, using: &rng)
    for estimator in EnergyDistance.Estimator.allCases {
      let report = GradientCheck.check(at: [a, b]) { _, v in NCFLosses.energyDistance(v[0], v[1], estimator: estimator) }
      #expect(report.maxRelativeError < 1e-6, "\(estimator): \(report)")
    }
  }

  @Test func classConditionalAveragesPerClassDistances() {
    var rng = SeededRandom(seed: 5)
    let a = Tensor<Double>.normal(rows: 20, columns: 2, using: &rng)
    let b = Tensor<Double>.normal(rows: 16, columns: 2, using: &rng)
    let classes: [(a: [Int], b: [Int])] = [(Array(0..<10), Array(0..<8)), (Array(10..<20), Array(8..<16))]
    let tape = Tape<Double>()
    let cc = NCFLosses.classConditionalEnergyDistance(tape.constant(a), tape.constant(b), classes: classes).value.scalar
    let e0 = bruteForceEnergyDistance(a.rows(0..<10), b.rows(0..<8), unbiased: true)
    let e1 = bruteForceEnergyDistance(a.rows(10..<20), b.rows(8..<16), unbiased: true)
    #expect(abs(cc - (e0 + e1) / 2) < 1e-12)
    let report = GradientCheck.check(at: [a, b]) { _, v in NCFLosses.classConditionalEnergyDistance(v[0], v[1], classes: classes) }
    #expect(report.maxRelativeError < 1e-6, "\(report)")
  }
}
