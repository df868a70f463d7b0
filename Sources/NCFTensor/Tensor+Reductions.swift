// Reductions. LLVM keeps floating-point additions in order, so a plain loop
// never vectorises; these kernels keep 16 partial sums in two SIMD8
// accumulators instead (about 16× faster for Float).

/// Σᵢ chunk(i) over 16-element blocks plus Σᵢ element(i) over the tail,
/// with two SIMD8 accumulators: the loop every reduction kernel shares.
@inlinable @inline(__always) @usableFromInline
func simdAccumulate<S: TensorScalar>(_ count: Int, chunk: (Int) -> SIMD8<S>, element: (Int) -> S) -> S {
  var a0 = SIMD8<S>(), a1 = SIMD8<S>()
  var i = 0
  while i + 16 <= count {
    a0 += chunk(i)
    a1 += chunk(i + 8)
    i += 16
  }
  var s = (a0 + a1).sum()
  while i < count { s += element(i); i += 1 }
  return s
}

/// Sum of `count` contiguous scalars, with SIMD accumulators.
@inlinable
public func simdSum<S: TensorScalar>(_ p: UnsafePointer<S>, _ count: Int) -> S {
  simdAccumulate(count, chunk: { UnsafeRawPointer(p + $0).loadUnaligned(as: SIMD8<S>.self) }, element: { p[$0] })
}

/// Dot product of two contiguous arrays, with SIMD accumulators.
@inlinable
public func simdDot<S: TensorScalar>(_ p: UnsafePointer<S>, _ q: UnsafePointer<S>, _ count: Int) -> S {
  simdAccumulate(
    count,
    chunk: { UnsafeRawPointer(p + $0).loadUnaligned(as: SIMD8<S>.self) * UnsafeRawPointer(q + $0).loadUnaligned(as: SIMD8<S>.self) },
    element: { p[$0] * q[$0] })
}

extension Tensor {
  /// Sum of all elements.
  @inlinable
  public func sum() -> Scalar {
    scalars.withUnsafeBufferPointer { p in p.baseAddress.map { simdSum($0, count) } ?? 0 }
  }

  /// Mean of all elements (0 for an empty tensor).
  @inlinable
  public func mean() -> Scalar { count == 0 ? 0 : sum() / Scalar(count) }

  /// Sum of squares of all elements.
  @inlinable
  public func squaredNorm() -> Scalar {
    scalars.withUnsafeBufferPointer { p in p.baseAddress.map { simdDot($0, $0, count) } ?? 0 }
  }

  /// Sum of element-wise products with `other` (same shape).
  @inlinable
  public func dot(_ other: Tensor) -> Scalar {
    precondition(hasShape(of: other), "dot: shape mismatch")
    return scalars.withUnsafeBufferPointer { p in
      other.scalars.withUnsafeBufferPointer { q in
        guard let a = p.baseAddress, let b = q.baseAddress else { return 0 }
        return simdDot(a, b, count)
      }
    }
  }

  /// Column sums as a 1×columns row (`axis: 0`) or row sums as a rows×1
  /// column (`axis: 1`).
  @inlinable
  public func sum(alongAxis axis: Int) -> Tensor {
    precondition(axis == 0 || axis == 1, "axis must be 0 or 1")
    if axis == 0 {
      var out = Tensor.zeros(rows: 1, columns: columns)
      out.scalars.withUnsafeMutableBufferPointer { o in
        scalars.withUnsafeBufferPointer { p in
          for i in 0..<rows { for j in 0..<columns { o[j] += p[i * columns + j] } }
        }
      }
      return out
    }
    return Tensor(rows: rows, columns: 1) { o in
      scalars.withUnsafeBufferPointer { p in
        for i in 0..<rows { o[i] = columns == 0 ? 0 : simdSum(p.baseAddress! + i * columns, columns) }
      }
    }
  }

  /// Means along an axis (see ``sum(alongAxis:)``).
  @inlinable
  public func mean(alongAxis axis: Int) -> Tensor {
    let n = axis == 0 ? rows : columns
    return sum(alongAxis: axis) * (1 / Scalar(Swift.max(n, 1)))
  }

  /// ‖row i‖² for every row, as a rows×1 column.
  @inlinable
  public func rowSquaredNorms() -> Tensor {
    Tensor(rows: rows, columns: 1) { o in
      scalars.withUnsafeBufferPointer { p in
        for i in 0..<rows {
          o[i] = columns == 0 ? 0 : simdDot(p.baseAddress! + i * columns, p.baseAddress! + i * columns, columns)
        }
      }
    }
  }

  /// Largest element (−∞ for an empty tensor).
  public func max() -> Scalar { scalars.max() ?? -.infinity }
  /// Smallest element (+∞ for an empty tensor).
  public func min() -> Scalar { scalars.min() ?? .infinity }
  /// Largest absolute value (0 for an empty tensor; NaN entries are skipped).
  /// - Complexity: O(count), one pass.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func maxAbs() -> Scalar {
    scalars.withUnsafeBufferPointer { p in
      var m: Scalar = 0
      for x in p {
        let a = Swift.abs(x)
        if a > m { m = a }
      }
      return m
    }
  }
}
