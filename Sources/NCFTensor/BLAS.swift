#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

/// Thin, internal bindings to CBLAS / LAPACK. Nothing above `NCFTensor` sees
/// a BLAS symbol; they call ``Tensor`` methods instead.
enum BLAS {
  static func sgemm(
    _ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  static func dgemm(
    _ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
    _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
    _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Symmetric eigen-decomposition (LAPACK `dsyevd`, divide and conquer) of the
  /// n×n matrix in `a` (overwritten by the eigenvectors, stored column-major,
  /// i.e. row-major rows are eigenvectors). Returns the eigenvalues ascending,
  /// or `nil` when LAPACK reports failure.
  static func dsyevd(_ a: inout [Double], n: Int) -> [Double]? {
    var jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "L"))
    var nn = Int32(n), lda = Int32(Swift.max(n, 1)), info: Int32 = 0
    var w = [Double](repeating: 0, count: n)
    var lworkQuery: Int32 = -1, liworkQuery: Int32 = -1
    var workSize = [Double](repeating: 0, count: 1), iworkSize = [Int32](repeating: 0, count: 1)
    // Workspace query, then the real call.
    callSyevd(&jobz, &uplo, &nn, &a, &lda, &w, &workSize, &lworkQuery, &iworkSize, &liworkQuery, &info)
    guard info == 0 else { return nil }
    var lwork = Int32(workSize[0]), liwork = iworkSize[0]
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    callSyevd(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
    return info == 0 ? w : nil
  }

  private static func callSyevd(
    _ jobz: inout Int8, _ uplo: inout Int8, _ n: inout Int32, _ a: inout [Double], _ lda: inout Int32,
    _ w: inout [Double], _ work: inout [Double], _ lwork: inout Int32, _ iwork: inout [Int32],
    _ liwork: inout Int32, _ info: inout Int32
  ) {
    #if canImport(Accelerate)
    var nL = __LAPACK_int(n), ldaL = __LAPACK_int(lda), lworkL = __LAPACK_int(lwork)
    var liworkL = __LAPACK_int(liwork), infoL = __LAPACK_int(0)
    var iworkL = iwork.map { __LAPACK_int($0) }
    dsyevd_(&jobz, &uplo, &nL, &a, &ldaL, &w, &work, &lworkL, &iworkL, &liworkL, &infoL)
    iwork = iworkL.map { Int32($0) }
    info = Int32(infoL)
    #else
    dsyevd_(&jobz, &uplo, &n, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
    #endif
  }
}

/// Process-wide control of the BLAS library's own thread pool.
public enum BLASThreads {
  /// Sets how many threads GEMM may use. Call with 1 before parallelising
  /// outside BLAS (e.g. in `DispatchQueue.concurrentPerform`), so that the two
  /// levels of parallelism do not oversubscribe the cores.
  public static func set(_ count: Int) {
    #if !canImport(Accelerate)
    openblas_set_num_threads(Int32(Swift.max(1, count)))
    #endif
  }

  /// The number of threads BLAS currently uses (1 where it cannot be queried).
  public static var current: Int {
    #if canImport(Accelerate)
    return 1
    #else
    return Int(openblas_get_num_threads())
    #endif
  }
}
