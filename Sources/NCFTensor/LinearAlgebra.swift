import Foundation

/// Small dense linear algebra in Double: symmetric eigen-decomposition and
/// the spectral functions built on it (SPD square roots, inverse square
/// roots, inverses), plus a Householder QR. Used for closed-form Gaussian OT
/// (Bures maps) and for test oracles, where accuracy matters more than speed.
public enum LinearAlgebra {
  /// Errors from the LAPACK-backed routines.
  public enum Error: Swift.Error, CustomStringConvertible {
    case notSquare(rows: Int, columns: Int)
    case notSymmetric(maxAsymmetry: Double)
    case notPositiveDefinite(smallestEigenvalue: Double)
    case lapackFailure(String)

    public var description: String {
      switch self {
      case .notSquare(let r, let c): return "matrix is \(r)×\(c), expected a square matrix"
      case .notSymmetric(let a): return "matrix is not symmetric (max |A - Aᵀ| = \(a))"
      case .notPositiveDefinite(let l): return "matrix is not positive definite (smallest eigenvalue \(l))"
      case .lapackFailure(let s): return "LAPACK failure: \(s)"
      }
    }
  }

  /// Eigen-decomposition A = V diag(λ) Vᵀ of a symmetric matrix.
  /// - Returns: eigenvalues in ascending order and V, whose *columns* are the
  ///   orthonormal eigenvectors.
  /// - Throws: if A is not square or not symmetric to `1e-10 · max|A|`.
  /// - Complexity: O(n³) (LAPACK `dsyevd`).
  public static func symmetricEigen(_ a: Tensor<Double>) throws -> (values: [Double], vectors: Tensor<Double>) {
    guard a.rows == a.columns else { throw Error.notSquare(rows: a.rows, columns: a.columns) }
    let n = a.rows
    if n == 0 { return ([], a) }
    var asym = 0.0
    for i in 0..<n { for j in 0..<i { asym = max(asym, abs(a[i, j] - a[j, i])) } }
    guard asym <= 1e-10 * max(a.maxAbs(), 1e-300) else { throw Error.notSymmetric(maxAsymmetry: asym) }
    var storage = a.scalars  // symmetric: row-major and column-major agree
    guard let w = BLAS.dsyevd(&storage, n: n) else { throw Error.lapackFailure("dsyevd did not converge") }
    // LAPACK stores eigenvector k in column-major column k, i.e. storage[k*n ..< (k+1)*n];
    // as a row-major matrix that is row k, so transpose to put vectors in columns.
    let vt = Tensor<Double>(rows: n, columns: n, scalars: storage)
    return (w, vt.transposed())
  }

  /// V diag(f(λ)) Vᵀ for a symmetric A.
  public static func symmetricFunction(_ a: Tensor<Double>, _ f: (Double) -> Double) throws -> Tensor<Double> {
    let (w, v) = try symmetricEigen(a)
    let n = a.rows
    var vf = v
    for i in 0..<n { for k in 0..<n { vf[i, k] *= f(w[k]) } }
    return Tensor.matmul(vf, v, transposeB: true)
  }

  /// The SPD square root A^{1/2}.
  /// - Throws: if A is not symmetric positive definite.
  public static func spdSquareRoot(_ a: Tensor<Double>) throws -> Tensor<Double> {
    try checkSPD(a)
    return try symmetricFunction(a) { $0.squareRoot() }
  }

  /// The SPD inverse square root A^{-1/2}.
  public static func spdInverseSquareRoot(_ a: Tensor<Double>) throws -> Tensor<Double> {
    try checkSPD(a)
    return try symmetricFunction(a) { 1 / $0.squareRoot() }
  }

  /// The inverse of an SPD matrix.
  public static func spdInverse(_ a: Tensor<Double>) throws -> Tensor<Double> {
    try checkSPD(a)
    return try symmetricFunction(a) { 1 / $0 }
  }

  static func checkSPD(_ a: Tensor<Double>) throws {
    let (w, _) = try symmetricEigen(a)
    if let l = w.first, !(l > 0) { throw Error.notPositiveDefinite(smallestEigenvalue: l) }
  }

  /// Householder QR of a square matrix: A = Q R with Q orthogonal and R upper
  /// triangular with a non-negative diagonal (the sign fix that makes
  /// Q Haar-distributed when A has i.i.d. Gaussian entries).
  /// - Complexity: O(n³), in Swift (n is small wherever this is used).
  public static func qr(_ a: Tensor<Double>) -> (q: Tensor<Double>, r: Tensor<Double>) {
    precondition(a.rows == a.columns, "qr expects a square matrix")
    let n = a.rows
    var r = a
    var q = Tensor<Double>.identity(n)
    for k in 0..<n {
      var norm = 0.0
      for i in k..<n { norm += r[i, k] * r[i, k] }
      norm = norm.squareRoot()
      if norm == 0 { continue }
      let alpha = r[k, k] > 0 ? -norm : norm
      var v = [Double](repeating: 0, count: n)
      for i in k..<n { v[i] = r[i, k] }
      v[k] -= alpha
      let vv = v[k...].reduce(0) { $0 + $1 * $1 }
      if vv == 0 { continue }
      // R ← (I − 2vvᵀ/vᵀv) R,  Q ← Q (I − 2vvᵀ/vᵀv)
      for j in 0..<n {
        var s = 0.0
        for i in k..<n { s += v[i] * r[i, j] }
        s *= 2 / vv
        for i in k..<n { r[i, j] -= s * v[i] }
      }
      for i in 0..<n {
        var s = 0.0
        for l in k..<n { s += q[i, l] * v[l] }
        s *= 2 / vv
        for l in k..<n { q[i, l] -= s * v[l] }
      }
    }
    // Sign fix: make diag(R) ≥ 0.
    for k in 0..<n where r[k, k] < 0 {
      for j in 0..<n { r[k, j] = -r[k, j] }
      for i in 0..<n { q[i, k] = -q[i, k] }
    }
    return (q, r)
  }
}
