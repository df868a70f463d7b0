#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
import Foundation
#endif

/// Thin, internal bindings to CBLAS / LAPACK. Nothing above `NCFTensor` sees
/// a BLAS symbol; they call ``Tensor`` methods instead.
enum BLAS {
  /// Runs once, before the first BLAS call (see ``OpenBLASCoreSelection``).
  static let configured: Void = {
    #if !canImport(Accelerate)
    OpenBLASCoreSelection.upgradeIfGeneric()
    #endif
  }()

  static func sgemm(
    _ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
  ) {
    _ = configured
    cblas_sgemm(
      CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  static func dgemm(
    _ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
    _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
    _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int
  ) {
    _ = configured
    cblas_dgemm(
      CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Symmetric eigen-decomposition (LAPACK `dsyevd`, divide and conquer) of the
  /// n×n matrix in `a` (overwritten by the eigenvectors, stored column-major,
  /// i.e. row-major rows are eigenvectors). Returns the eigenvalues ascending,
  /// or `nil` when LAPACK reports failure.
  static func dsyevd(_ a: inout [Double], n: Int) -> [Double]? {
    _ = configured
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
    _ = BLAS.configured
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

#if !canImport(Accelerate)
/// Works around OpenBLAS's CPU detection on virtual machines.
///
/// Debian's OpenBLAS (0.3.21, DYNAMIC_ARCH) picks its kernels from the CPU
/// model number. Some virtual CPUs report a generic model ("Intel Xeon
/// Processor") that it does not recognise, and it falls back to its SSE3
/// "Prescott" kernels even when AVX2/AVX-512 are available: measured here,
/// sgemm at 1024×128·128×128 ran at 17 GFLOP/s as Prescott against 118 as
/// SkylakeX. When the user has not set `OPENBLAS_CORETYPE` and the detected
/// core predates AVX2 although the CPU has it, we re-run OpenBLAS's own
/// dynamic selection with `OPENBLAS_CORETYPE` set from the CPU flags
/// (SkylakeX with AVX-512, Haswell with AVX2 + FMA). The entry points are
/// looked up with dlsym, so builds without DYNAMIC_ARCH are left alone.
public enum OpenBLASCoreSelection {
  /// The OpenBLAS kernel family in use (e.g. "SkylakeX"), if it can be queried.
  public static var coreName: String? {
    _ = BLAS.configured
    return rawCoreName()
  }

  static func rawCoreName() -> String? {
    guard let f = lookup("openblas_get_corename") else { return nil }
    let call = unsafeBitCast(f, to: (@convention(c) () -> UnsafePointer<CChar>?).self)
    return call().map { String(cString: $0) }
  }

  static func lookup(_ name: String) -> UnsafeMutableRawPointer? {
    dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
  }

  static func upgradeIfGeneric() {
    guard getenv("OPENBLAS_CORETYPE") == nil, let core = rawCoreName()?.lowercased() else { return }
    let preAVX2 = ["prescott", "core2", "penryn", "dunnington", "nehalem", "sandybridge", "atom", "katmai",
                   "coppermine", "northwood", "banias", "athlon", "opteron", "opteron_sse3", "barcelona", "bobcat",
                   "bulldozer", "piledriver"]
    guard preAVX2.contains(core),
          let flags = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first(where: { $0.hasPrefix("flags") }).map({ Set($0.split(separator: " ").map(String.init)) })
    else { return }
    let target: String
    if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) {
      target = "SkylakeX"
    } else if ["avx2", "fma"].allSatisfy(flags.contains) {
      target = "Haswell"
    } else {
      return
    }
    guard let quit = lookup("gotoblas_dynamic_quit"), let initialize = lookup("gotoblas_dynamic_init") else { return }
    typealias Fn = @convention(c) () -> Void
    unsafeBitCast(quit, to: Fn.self)()
    setenv("OPENBLAS_CORETYPE", target, 1)
    unsafeBitCast(initialize, to: Fn.self)()
    unsetenv("OPENBLAS_CORETYPE")
  }
}
#endif
