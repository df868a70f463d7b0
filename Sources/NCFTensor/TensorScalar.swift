import CSIMDShims
import Foundation

/// The element types a ``Tensor`` can hold: `Float` (for speed) and `Double`
/// (for gradient checks and closed-form references).
///
/// The protocol exists so that hot kernels (GEMM, eigen-decomposition and the
/// element-wise transcendental functions) are written once per concrete type
/// and reached through one witness call per *array* operation, never per
/// element. `Float` uses vectorised polynomial kernels (see `VectorMath.swift`);
/// `Double` uses the platform's libm, because Double is the precision used for
/// checks, where accuracy matters more than speed.
public protocol TensorScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable, LosslessStringConvertible
where Self.RawSignificand: FixedWidthInteger {
  /// Row-major GEMM: `C = alpha · op(A) · op(B) + beta · C`, with `op(A)` of shape m×k and `op(B)` k×n.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// Element-wise `exp` over `count` values (`src` and `dst` may alias).
  static func vectorExp(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)
  /// Element-wise natural logarithm.
  static func vectorLog(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)
  /// Element-wise hyperbolic tangent.
  static func vectorTanh(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)
  /// Element-wise logistic sigmoid 1 / (1 + e^{-x}).
  static func vectorSigmoid(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)
  /// Element-wise softplus log(1 + e^x), computed without overflow.
  static func vectorSoftplus(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Self>, count: Int)

  /// Lane-wise square root of 8 values in one vector instruction.
  static func squareRoot(_ v: SIMD8<Self>) -> SIMD8<Self>

  /// Scalar versions used by non-hot code (libm).
  static func exp(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  static func sin(_ x: Self) -> Self
  static func cos(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: TensorScalar {
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLAS.sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
  public static func vectorExp(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    VectorMath.exp(src, dst, count)
  }
  public static func vectorLog(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    VectorMath.log(src, dst, count)
  }
  public static func vectorTanh(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    VectorMath.tanh(src, dst, count)
  }
  public static func vectorSigmoid(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    VectorMath.sigmoid(src, dst, count)
  }
  public static func vectorSoftplus(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    VectorMath.softplus(src, dst, count)
  }
  @inline(__always) public static func squareRoot(_ v: SIMD8<Float>) -> SIMD8<Float> { ncf_sqrt_f8(v) }
  public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
  public static func log(_ x: Float) -> Float { Foundation.log(x) }
  public static func sin(_ x: Float) -> Float { Foundation.sin(x) }
  public static func cos(_ x: Float) -> Float { Foundation.cos(x) }
  public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
  public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: TensorScalar {
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    BLAS.dgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }
  public static func vectorExp(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { dst[i] = Foundation.exp(src[i]) }
  }
  public static func vectorLog(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { dst[i] = Foundation.log(src[i]) }
  }
  public static func vectorTanh(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count { dst[i] = Foundation.tanh(src[i]) }
  }
  public static func vectorSigmoid(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count {
      let x = src[i]
      // Evaluate on the side where exp cannot overflow.
      if x >= 0 { dst[i] = 1 / (1 + Foundation.exp(-x)) } else { let e = Foundation.exp(x); dst[i] = e / (1 + e) }
    }
  }
  public static func vectorSoftplus(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, count: Int) {
    for i in 0..<count {
      let x = src[i]
      dst[i] = Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    }
  }
  @inline(__always) public static func squareRoot(_ v: SIMD8<Double>) -> SIMD8<Double> { ncf_sqrt_d8(v) }
  public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
  public static func log(_ x: Double) -> Double { Foundation.log(x) }
  public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
  public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
  public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
  public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}
