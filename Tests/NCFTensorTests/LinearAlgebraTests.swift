import Testing
import NCFTensor
import NCFTestSupport

@Suite struct LinearAlgebraTests {
  @Test func eigenOfKnownMatrix() throws {
    // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2 − √2, 2, 2 + √2.
    let a = Tensor<Double>([[2, 1, 0], [1, 2, 1], [0, 1, 2]])
    let (w, _) = try LinearAlgebra.symmetricEigen(a)
    let r2 = 2.0.squareRoot()
    #expect(abs(w[0] - (2 - r2)) < 1e-14 && abs(w[1] - 2) < 1e-14 && abs(w[2] - (2 + r2)) < 1e-14)
  }

  @Test(arguments: [1, 2, 5, 16, 40])
  func eigenReconstructs(n: Int) throws {
    var rng = SeededRandom(seed: UInt64(n))
    let g = Tensor<Double>.normal(rows: n, columns: n, using: &rng)
    let a = g + g.transposed()
    let (w, v) = try LinearAlgebra.symmetricEigen(a)
    #expect(w == w.sorted())
    var vl = v
    for i in 0..<n { for k in 0..<n { vl[i, k] *= w[k] } }
    #expect(maxAbsoluteDifference(naiveMatmul(vl, v.transposed()), a) < 1e-12 * Double(n))
    #expect(maxAbsoluteDifference(naiveMatmul(v.transposed(), v), .identity(n)) < 1e-12 * Double(n))
  }

  @Test(arguments: [1, 3, 8, 32])
  func spdSquareRootsRoundTrip(n: Int) throws {
    var rng = SeededRandom(seed: 100 + UInt64(n))
    let s = randomSPD(n, rng: &rng)
    let r = try LinearAlgebra.spdSquareRoot(s)
    let ri = try LinearAlgebra.spdInverseSquareRoot(s)
    #expect(maxAbsoluteDifference(naiveMatmul(r, r), s) < 1e-12)
    #expect(maxAbsoluteDifference(naiveMatmul(naiveMatmul(ri, s), ri), .identity(n)) < 1e-12)
    #expect(maxAbsoluteDifference(naiveMatmul(try LinearAlgebra.spdInverse(s), s), .identity(n)) < 1e-12)
  }

  @Test func rejectsNonSymmetricAndIndefinite() {
    #expect(throws: LinearAlgebra.Error.self) { try LinearAlgebra.symmetricEigen(Tensor<Double>([[1, 2], [0, 1]])) }
    #expect(throws: LinearAlgebra.Error.self) { try LinearAlgebra.spdSquareRoot(Tensor<Double>([[1, 0], [0, -1]])) }
    #expect(throws: LinearAlgebra.Error.self) { try LinearAlgebra.symmetricEigen(Tensor<Double>.zeros(rows: 2, columns: 3)) }
  }

  @Test func qrIsOrthogonalTimesUpperTriangular() {
    var rng = SeededRandom(seed: 5)
    let a = Tensor<Double>.normal(rows: 6, columns: 6, using: &rng)
    let (q, r) = LinearAlgebra.qr(a)
    #expect(maxAbsoluteDifference(naiveMatmul(q, r), a) < 1e-12)
    #expect(maxAbsoluteDifference(naiveMatmul(q.transposed(), q), .identity(6)) < 1e-12)
    for i in 0..<6 {
      #expect(r[i, i] >= 0)
      for j in 0..<i { #expect(abs(r[i, j]) < 1e-12) }
    }
  }
}
