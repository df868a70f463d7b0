import NCFTensor

/// Largest |a − b| / max(1, |b|) over corresponding elements.
public func maxRelativeDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Double {
  precondition(a.hasShape(of: b), "shape mismatch \(a.rows)×\(a.columns) vs \(b.rows)×\(b.columns)")
  var worst = 0.0
  for (x, y) in zip(a.scalars, b.scalars) {
    let d = abs(Double(x) - Double(y)) / max(1, abs(Double(y)))
    if d.isNaN { return .infinity }
    worst = max(worst, d)
  }
  return worst
}

/// Largest |a − b| over corresponding elements.
public func maxAbsoluteDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Double {
  precondition(a.hasShape(of: b), "shape mismatch")
  var worst = 0.0
  for (x, y) in zip(a.scalars, b.scalars) {
    let d = abs(Double(x) - Double(y))
    if d.isNaN { return .infinity }
    worst = max(worst, d)
  }
  return worst
}

/// Naive triple-loop product, the oracle for GEMM.
public func naiveMatmul<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
  var c = Tensor<S>.zeros(rows: a.rows, columns: b.columns)
  for i in 0..<a.rows {
    for j in 0..<b.columns {
      var s = 0.0
      for k in 0..<a.columns { s += Double(a[i, k]) * Double(b[k, j]) }
      c[i, j] = S(s)
    }
  }
  return c
}

/// A random symmetric positive-definite matrix Q diag(λ) Qᵀ with λ in [lo, hi].
public func randomSPD(_ n: Int, lo: Double = 0.5, hi: Double = 2, rng: inout SeededRandom) -> Tensor<Double> {
  var m = Tensor<Double>.zeros(rows: n, columns: n)
  let (q, _) = LinearAlgebra.qr(Tensor<Double>.normal(rows: n, columns: n, using: &rng))
  let lambdas = (0..<n).map { _ in lo + (hi - lo) * rng.uniform() }
  for i in 0..<n { for j in 0..<n { var s = 0.0; for k in 0..<n { s += q[i, k] * lambdas[k] * q[j, k] }; m[i, j] = s } }
  return m
}

/// The squared energy distance 2E‖x − y‖ − E‖x − x′‖ − E‖y − y′‖ straight
/// from its definition, O(n²): the oracle for the fast kernels. `unbiased`
/// leaves the i = j pairs out of the within-sample means.
public func bruteForceEnergyDistance(_ x: Tensor<Double>, _ y: Tensor<Double>, unbiased: Bool) -> Double {
  func mean(_ a: Tensor<Double>, _ b: Tensor<Double>, skipDiagonal: Bool) -> Double {
    var s = 0.0, count = 0
    for i in 0..<a.rows {
      for j in 0..<b.rows where !(skipDiagonal && i == j) {
        var d2 = 0.0
        for k in 0..<a.columns { d2 += (a[i, k] - b[j, k]) * (a[i, k] - b[j, k]) }
        s += d2.squareRoot()
        count += 1
      }
    }
    return s / Double(count)
  }
  return 2 * mean(x, y, skipDiagonal: false) - mean(x, x, skipDiagonal: unbiased) - mean(y, y, skipDiagonal: unbiased)
}
