import Foundation
import Testing
import NCFTensor
import NCFTestSupport
import NCFTransport

@Suite struct EnergyDistanceTests {
  @Test(arguments: [1, 3, 16, 40], EnergyDistance.Estimator.allCases)
  func blockedMatchesNaive(d: Int, estimator: EnergyDistance.Estimator) {
    var rng = SeededRandom(seed: UInt64(d))
    let x = Tensor<Double>.normal(rows: 70, columns: d, using: &rng)
    let y = Tensor<Double>.normal(rows: 53, columns: d, mean: 0.3, using: &rng)
    let value = EnergyDistance(estimator: estimator)(x, y).value
    let reference = bruteForceEnergyDistance(x, y, unbiased: estimator == .uStatistic)
    #expect(abs(value - reference) <= 1e-10 * max(1, abs(reference)))
    // Float input: sums still accumulate in Double.
    let single = EnergyDistance(estimator: estimator)(x.converted(to: Float.self), y.converted(to: Float.self)).value
    #expect(abs(single - reference) <= 1e-4 * max(1, abs(reference)))
  }

  @Test func vStatisticIsZeroForIdenticalSamplesAndUIsUnbiasedNegativeThere() {
    var rng = SeededRandom(seed: 9)
    let x = Tensor<Double>.normal(rows: 40, columns: 3, using: &rng)
    #expect(abs(EnergyDistance()(x, x).value) <= 1e-12)
    // U: 2·(all pairs)/n² − 2·(off-diagonal)/(n(n−1)) < 0 for a sample against itself.
    #expect(EnergyDistance(estimator: .uStatistic)(x, x).value < 0)
  }

  @Test func projectionConstantMatchesGammaFunctionFormula() {
    #expect(SlicedEnergyDistance.projectionConstant(dimension: 1) == 1)
    #expect(abs(SlicedEnergyDistance.projectionConstant(dimension: 2) - 2 / Double.pi) <= 1e-16)
    #expect(abs(SlicedEnergyDistance.projectionConstant(dimension: 3) - 0.5) <= 1e-16)
    for d in 1...64 {
      let viaGamma = exp(lgamma(Double(d) / 2) - lgamma(Double(d + 1) / 2)) / Double.pi.squareRoot()
      #expect(abs(SlicedEnergyDistance.projectionConstant(dimension: d) - viaGamma) <= 1e-13 * viaGamma)
    }
  }

  @Test(arguments: EnergyDistance.Estimator.allCases)
  func slicedEstimateIsWithinFourStandardErrors(estimator: EnergyDistance.Estimator) {
    for (seed, d) in [(10, 2), (11, 5), (12, 20)] {
      var rng = SeededRandom(seed: UInt64(seed))
      let x = Tensor<Double>.normal(rows: 300, columns: d, using: &rng)
      let y = Tensor<Double>.normal(rows: 240, columns: d, mean: 0.25, standardDeviation: 1.2, using: &rng)
      let exact = EnergyDistance(estimator: estimator)(x, y).value
      let sliced = SlicedEnergyDistance(directions: 256, seed: UInt64(seed), estimator: estimator)(x, y)
      #expect(sliced.standardError > 0)
      #expect(abs(sliced.value - exact) <= 4 * sliced.standardError, "d = \(d): \(sliced.value) vs \(exact) ± \(sliced.standardError)")
      #expect(sliced.perDirection.count == 256)
    }
  }

  @Test func slicedIsExactInOneDimension() {
    var rng = SeededRandom(seed: 13)
    let x = Tensor<Double>.normal(rows: 101, columns: 1, using: &rng)
    let y = Tensor<Double>.normal(rows: 77, columns: 1, mean: 0.5, using: &rng)
    for estimator in EnergyDistance.Estimator.allCases {
      let exact = EnergyDistance(estimator: estimator)(x, y).value
      let sliced = SlicedEnergyDistance(directions: 8, estimator: estimator)(x, y)
      #expect(abs(sliced.value - exact) <= 1e-12)
      #expect(sliced.standardError <= 1e-12)
    }
  }
}
