import Testing
import NCFTensor
import NCFTestSupport

@Suite struct MatMulTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)], [UInt64(1), 2, 3])
  func gemmMatchesNaiveDouble(transposes: (Bool, Bool), seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let (m, n, k) = (1 + rng.integer(below: 9), 1 + rng.integer(below: 9), 1 + rng.integer(below: 9))
    let a = Tensor<Double>.normal(rows: transposes.0 ? k : m, columns: transposes.0 ? m : k, using: &rng)
    let b = Tensor<Double>.normal(rows: transposes.1 ? n : k, columns: transposes.1 ? k : n, using: &rng)
    let c = Tensor.matmul(a, b, transposeA: transposes.0, transposeB: transposes.1)
    let ref = naiveMatmul(transposes.0 ? a.transposed() : a, transposes.1 ? b.transposed() : b)
    #expect(c.rows == m && c.columns == n)
    #expect(maxAbsoluteDifference(c, ref) < 1e-12)
  }

  @Test func gemmMatchesNaiveFloatAtLayerShapes() {
    var rng = SeededRandom(seed: 7)
    let a = Tensor<Float>.normal(rows: 64, columns: 17, using: &rng)
    let b = Tensor<Float>.normal(rows: 17, columns: 33, using: &rng)
    #expect(maxAbsoluteDifference(Tensor.matmul(a, b), naiveMatmul(a, b)) < 1e-4)
  }

  @Test func gemmAccumulatesWithBeta() {
    var rng = SeededRandom(seed: 8)
    let a = Tensor<Double>.normal(rows: 4, columns: 3, using: &rng)
    let b = Tensor<Double>.normal(rows: 3, columns: 5, using: &rng)
    var c = Tensor<Double>.normal(rows: 4, columns: 5, using: &rng)
    let expected = c * 0.5 + naiveMatmul(a, b) * 2
    Tensor.gemm(a, b, into: &c, alpha: 2, beta: 0.5)
    #expect(maxAbsoluteDifference(c, expected) < 1e-12)
  }

  @Test func emptyInnerDimensionGivesZeros() {
    let a = Tensor<Double>.zeros(rows: 3, columns: 0), b = Tensor<Double>.zeros(rows: 0, columns: 2)
    #expect(Tensor.matmul(a, b) == Tensor.zeros(rows: 3, columns: 2))
  }
}
