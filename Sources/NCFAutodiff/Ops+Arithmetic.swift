import NCFTensor

// Broadcasting arithmetic and matrix products. Each forward sits next to its
// pullback; broadcasting's adjoint is a sum over the broadcast dimensions.

extension Variable {
  /// a + b (broadcasting).
  @inlinable
  public static func + (a: Variable, b: Variable) -> Variable {
    let (ra, ca, rb, cb) = (a.rows, a.columns, b.rows, b.columns)
    return a.tape.record("add", inputs: [a, b], output: a.value + b.value) { ct, _ in
      [ct.reduced(toRows: ra, columns: ca), ct.reduced(toRows: rb, columns: cb)]
    }
  }

  /// a − b (broadcasting).
  @inlinable
  public static func - (a: Variable, b: Variable) -> Variable {
    let (ra, ca, rb, cb) = (a.rows, a.columns, b.rows, b.columns)
    return a.tape.record("sub", inputs: [a, b], output: a.value - b.value) { ct, needs in
      [ct.reduced(toRows: ra, columns: ca), needs[1] ? (-ct).reduced(toRows: rb, columns: cb) : nil]
    }
  }

  /// a ⊙ b (element-wise, broadcasting).
  @inlinable
  public static func * (a: Variable, b: Variable) -> Variable {
    let (av, bv) = (a.value, b.value)
    return a.tape.record("mul", inputs: [a, b], output: av * bv) { ct, needs in
      [
        needs[0] ? (ct * bv).reduced(toRows: av.rows, columns: av.columns) : nil,
        needs[1] ? (ct * av).reduced(toRows: bv.rows, columns: bv.columns) : nil,
      ]
    }
  }

  /// a ⊘ b (element-wise, broadcasting).
  @inlinable
  public static func / (a: Variable, b: Variable) -> Variable {
    let (av, bv) = (a.value, b.value)
    let out = av / bv
    return a.tape.record("div", inputs: [a, b], output: out) { ct, needs in
      [
        needs[0] ? (ct / bv).reduced(toRows: av.rows, columns: av.columns) : nil,
        needs[1] ? (-(ct * out) / bv).reduced(toRows: bv.rows, columns: bv.columns) : nil,
      ]
    }
  }

  /// −a.
  public static prefix func - (a: Variable) -> Variable {
    a.tape.record("neg", inputs: [a], output: -a.value) { ct, _ in [-ct] }
  }

  /// a + s
  @inlinable
  public static func + (a: Variable, s: Scalar) -> Variable {
    a.tape.record("add_scalar", inputs: [a], output: a.value + s) { ct, _ in [ct] }
  }
  /// s + a
  @inlinable
  public static func + (s: Scalar, a: Variable) -> Variable { a + s }
  /// a − s
  @inlinable
  public static func - (a: Variable, s: Scalar) -> Variable { a + (-s) }
  /// s − a
  @inlinable
  public static func - (s: Scalar, a: Variable) -> Variable { -a + s }
  /// a · s
  @inlinable
  public static func * (a: Variable, s: Scalar) -> Variable {
    a.tape.record("mul_scalar", inputs: [a], output: a.value * s) { ct, _ in [ct * s] }
  }
  /// s · a
  @inlinable
  public static func * (s: Scalar, a: Variable) -> Variable { a * s }
  /// a / s
  @inlinable
  public static func / (a: Variable, s: Scalar) -> Variable { a * (1 / s) }
}

/// op(a) · op(b) with optional transposes.
@inlinable
public func matmul<S>(_ a: Variable<S>, _ b: Variable<S>, transposeA: Bool = false, transposeB: Bool = false) -> Variable<S> {
  let (av, bv) = (a.value, b.value)
  let out = Tensor.matmul(av, bv, transposeA: transposeA, transposeB: transposeB)
  return a.tape.record("matmul", inputs: [a, b], output: out) { ct, needs in
    // C = op(A) op(B):  d op(A) = C̄ op(B)ᵀ,  d op(B) = op(A)ᵀ C̄; undo the op on each.
    var da: Tensor<S>? = nil, db: Tensor<S>? = nil
    if needs[0] {
      da = transposeA
        ? Tensor.matmul(bv, ct, transposeA: transposeB, transposeB: true)  // Ā = op(B) C̄ᵀ
        : Tensor.matmul(ct, bv, transposeB: !transposeB)  // Ā = C̄ op(B)ᵀ
    }
    if needs[1] {
      db = transposeB
        ? Tensor.matmul(ct, av, transposeA: true, transposeB: transposeA)  // B̄ = C̄ᵀ op(A)
        : Tensor.matmul(av, ct, transposeA: !transposeA)  // B̄ = op(A)ᵀ C̄
    }
    return [da, db]
  }
}
