import NCFTensor

// Slicing, gathering, concatenation and transposition; pullbacks scatter.

extension Variable {
  /// Columns `range` of every row.
  @inlinable
  public func columns(_ range: Range<Int>) -> Variable {
    let (r, c) = (rows, columns)
    return tape.record("columns", inputs: [self], output: value.columns(range)) { ct, _ in
      var g = Tensor<Scalar>.zeros(rows: r, columns: c)
      for i in 0..<r { for j in 0..<range.count { g[i, range.lowerBound + j] = ct[i, j] } }
      return [g]
    }
  }

  /// Rows `range`.
  @inlinable
  public func rows(_ range: Range<Int>) -> Variable {
    let (r, c) = (rows, columns)
    return tape.record("rows", inputs: [self], output: value.rows(range)) { ct, _ in
      var g = Tensor<Scalar>.zeros(rows: r, columns: c)
      g.scalars.replaceSubrange((range.lowerBound * c)..<(range.upperBound * c), with: ct.scalars)
      return [g]
    }
  }

  /// The rows at `indices` (repeats allowed; their cotangents add up).
  @inlinable
  public func gathering(rows indices: [Int]) -> Variable {
    let (r, c) = (rows, columns)
    return tape.record("gather", inputs: [self], output: value.gathering(rows: indices)) { ct, _ in
      var g = Tensor<Scalar>.zeros(rows: r, columns: c)
      for (k, i) in indices.enumerated() { for j in 0..<c { g[i, j] += ct[k, j] } }
      return [g]
    }
  }

  /// The transpose.
  @inlinable
  public func transposed() -> Variable {
    tape.record("transpose", inputs: [self], output: value.transposed()) { ct, _ in [ct.transposed()] }
  }

  /// The same elements with another shape.
  @inlinable
  public func reshaped(rows r: Int, columns c: Int) -> Variable {
    let (r0, c0) = (rows, columns)
    return tape.record("reshape", inputs: [self], output: value.reshaped(rows: r, columns: c)) { ct, _ in
      [ct.reshaped(rows: r0, columns: c0)]
    }
  }
}

/// `[a | b | …]`: side-by-side concatenation.
@inlinable
public func concatenateColumns<S>(_ parts: [Variable<S>]) -> Variable<S> {
  precondition(!parts.isEmpty, "concatenateColumns: nothing to concatenate")
  let widths = parts.map(\.columns)
  return parts[0].tape.record("concat_columns", inputs: parts, output: Tensor.concatenatingColumns(parts.map(\.value))) {
    ct, needs in
    var offset = 0
    return widths.enumerated().map { k, w in
      defer { offset += w }
      return needs[k] ? ct.columns(offset..<(offset + w)) : nil
    }
  }
}

/// Rows of `a`, then rows of `b`, ….
@inlinable
public func concatenateRows<S>(_ parts: [Variable<S>]) -> Variable<S> {
  precondition(!parts.isEmpty, "concatenateRows: nothing to concatenate")
  let heights = parts.map(\.rows)
  return parts[0].tape.record("concat_rows", inputs: parts, output: Tensor.concatenatingRows(parts.map(\.value))) {
    ct, needs in
    var offset = 0
    return heights.enumerated().map { k, h in
      defer { offset += h }
      return needs[k] ? ct.rows(offset..<(offset + h)) : nil
    }
  }
}
