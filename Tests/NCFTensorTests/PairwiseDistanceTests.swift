import Testing
import NCFTensor
import NCFTestSupport

@Suite struct PairwiseDistanceTests {
  /// Naive Σ‖aᵢ − bⱼ‖ and its gradients, in Double.
  func naive(_ a: Tensor<Double>, _ b: Tensor<Double>, excludingDiagonal: Bool)
    -> (Double, Tensor<Double>, Tensor<Double>)
  {
    var s = 0.0
    var ga = Tensor<Double>.zeros(rows: a.rows, columns: a.columns), gb = Tensor<Double>.zeros(rows: b.rows, columns: b.columns)
    for i in 0..<a.rows {
      for j in 0..<b.rows where !(excludingDiagonal && i == j) {
        var d2 = 0.0
        for k in 0..<a.columns { d2 += (a[i, k] - b[j, k]) * (a[i, k] - b[j, k]) }
        let d = d2.squareRoot()
        s += d
        if d > 0 {
          for k in 0..<a.columns { let g = (a[i, k] - b[j, k]) / d; ga[i, k] += g; gb[j, k] -= g }
        }
      }
    }
    return (s, ga, gb)
  }

  @Test(arguments: [1, 2, 5, 8, 9, 40], [false, true])
  func sumAndGradientsMatchNaive(d: Int, excludingDiagonal: Bool) {
    var rng = SeededRandom(seed: UInt64(d * 2 + (excludingDiagonal ? 1 : 0)))
    let n = 37, m = excludingDiagonal ? 37 : 29
    let a = Tensor<Double>.normal(rows: n, columns: d, using: &rng)
    var b = Tensor<Double>.normal(rows: m, columns: d, using: &rng)
    // A coincident pair: distance 0 must give a zero, finite gradient.
    for k in 0..<d { b[3, k] = a[5, k] }
    let out = PairwiseDistance.sum(a, b, excludingDiagonal: excludingDiagonal)
    let (s, ga, gb) = naive(a, b, excludingDiagonal: excludingDiagonal)
    #expect(abs(out.sum - s) < 1e-9 * s)
    #expect(out.pairs == (excludingDiagonal ? n * (n - 1) : n * m))
    #expect(maxAbsoluteDifference(out.gradientA!, ga) < 1e-9)
    #expect(maxAbsoluteDifference(out.gradientB!, gb) < 1e-9)
  }

  @Test(arguments: [2, 24])
  func floatKernelAgreesWithDouble(d: Int) {
    var rng = SeededRandom(seed: 77)
    let a = Tensor<Double>.normal(rows: 300, columns: d, using: &rng)
    let b = Tensor<Double>.normal(rows: 260, columns: d, using: &rng)
    let ref = PairwiseDistance.sum(a, b)
    let f = PairwiseDistance.sum(a.converted(to: Float.self), b.converted(to: Float.self))
    #expect(abs(f.sum - ref.sum) < 1e-5 * ref.sum)
    #expect(maxAbsoluteDifference(f.gradientA!.converted(to: Double.self), ref.gradientA!) < 1e-3)
    #expect(maxAbsoluteDifference(f.gradientB!.converted(to: Double.self), ref.gradientB!) < 1e-3)
  }

  @Test func matrixMatchesDefinition() {
    let a = Tensor<Double>([[0, 0], [3, 4]]), b = Tensor<Double>([[0, 0], [6, 8]])
    #expect(PairwiseDistance.matrix(a, b) == Tensor([[0, 10], [5, 5]]))
  }
}
