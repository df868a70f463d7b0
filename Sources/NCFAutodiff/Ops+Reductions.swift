import NCFTensor

// Sums and means; the pullback broadcasts the cotangent back.

extension Variable {
  /// Sum of all elements (1×1).
  @inlinable
  public func sum() -> Variable {
    let (r, c) = (rows, columns)
    return tape.record("sum", inputs: [self], output: Tensor(scalar: value.sum())) { ct, _ in
      [Tensor(rows: r, columns: c, repeating: ct.scalar)]
    }
  }

  /// Mean of all elements (1×1).
  @inlinable
  public func mean() -> Variable { sum() * (1 / Scalar(Swift.max(value.count, 1))) }

  /// Column sums (axis 0, 1×columns) or row sums (axis 1, rows×1).
  @inlinable
  public func sum(alongAxis axis: Int) -> Variable {
    let (r, c) = (rows, columns)
    return tape.record("sum_axis\(axis)", inputs: [self], output: value.sum(alongAxis: axis)) { ct, _ in
      [Tensor.zeros(rows: r, columns: c) + ct]
    }
  }

  /// Means along an axis.
  @inlinable
  public func mean(alongAxis axis: Int) -> Variable {
    sum(alongAxis: axis) * (1 / Scalar(Swift.max(axis == 0 ? rows : columns, 1)))
  }
}
