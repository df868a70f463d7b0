// Matrix products through BLAS GEMM.

extension Tensor {
  /// `op(a) · op(b)`, where `op` transposes when asked.
  /// - Precondition: the inner dimensions agree.
  /// - Complexity: O(m·n·k) time (BLAS GEMM), O(m·n) memory.
  @inlinable
  public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let kb = transposeB ? b.columns : b.rows
    let n = transposeB ? b.rows : b.columns
    precondition(k == kb, "matmul: inner dimensions differ (\(m)×\(k) · \(kb)×\(n))")
    var c = Tensor(rows: m, columns: n, unsafeUninitialized: { _ in })
    if m == 0 || n == 0 { return c }
    if k == 0 { return Tensor.zeros(rows: m, columns: n) }
    gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0)
    return c
  }

  /// `c = alpha · op(a) · op(b) + beta · c` in place (BLAS GEMM).
  /// - Precondition: shapes agree; `c` is initialised unless `beta == 0`.
  @inlinable
  public static func gemm(
    _ a: Tensor, _ b: Tensor, into c: inout Tensor,
    transposeA: Bool = false, transposeB: Bool = false, alpha: Scalar = 1, beta: Scalar = 0
  ) {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let n = transposeB ? b.rows : b.columns
    precondition((transposeB ? b.columns : b.rows) == k, "gemm: inner dimensions differ")
    precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
    if m == 0 || n == 0 || k == 0 {
      if beta != 1 { c = c * beta }
      return
    }
    a.scalars.withUnsafeBufferPointer { pa in
      b.scalars.withUnsafeBufferPointer { pb in
        c.scalars.withUnsafeMutableBufferPointer { pc in
          Scalar.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
            a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns,
            beta: beta, c: pc.baseAddress!, ldc: n)
        }
      }
    }
  }
}
