/// A dense, row-major, rank-2 array of `Float` or `Double`.
///
/// Everything in the toolkit is a batch of row vectors, so rank 2 is all we
/// need: a batch of n points in ℝ^d is n×d, a column vector is n×1, a row
/// vector 1×d and a scalar 1×1. Binary arithmetic broadcasts a dimension of
/// size 1 against any size (see `Tensor+Arithmetic.swift`).
///
/// `Tensor` is a value type with copy-on-write storage (a Swift `Array`).
/// Invariant: `scalars.count == rows * columns`; code that mutates `scalars`
/// directly must keep it.
public struct Tensor<Scalar: TensorScalar>: Sendable, Equatable {
  /// Number of rows (first dimension).
  public let rows: Int
  /// Number of columns (second dimension).
  public let columns: Int
  /// The elements in row-major order: element (i, j) is `scalars[i * columns + j]`.
  public var scalars: [Scalar]

  /// Creates a tensor from its row-major elements.
  /// - Precondition: `scalars.count == rows * columns`, both dimensions ≥ 0.
  @inlinable
  public init(rows: Int, columns: Int, scalars: [Scalar]) {
    precondition(rows >= 0 && columns >= 0, "Tensor dimensions must be non-negative, got \(rows)×\(columns)")
    precondition(
      scalars.count == rows * columns,
      "Tensor \(rows)×\(columns) needs \(rows * columns) scalars, got \(scalars.count)")
    self.rows = rows
    self.columns = columns
    self.scalars = scalars
  }

  /// Creates a tensor with every element equal to `value`.
  @inlinable
  public init(rows: Int, columns: Int, repeating value: Scalar) {
    self.init(rows: rows, columns: columns, scalars: [Scalar](repeating: value, count: rows * columns))
  }

  /// Creates a tensor whose elements are written by `initializer`, which must
  /// initialise all `rows * columns` elements of the buffer it receives.
  @inlinable
  public init(
    rows: Int, columns: Int,
    unsafeUninitialized initializer: (UnsafeMutableBufferPointer<Scalar>) throws -> Void
  ) rethrows {
    let n = rows * columns
    let s = try [Scalar](unsafeUninitializedCapacity: n) { buffer, count in
      try initializer(buffer)
      count = n
    }
    self.init(rows: rows, columns: columns, scalars: s)
  }

  /// Creates a tensor from an array of equally long rows.
  /// - Precondition: every row has the same length.
  public init(_ rowArrays: [[Scalar]]) {
    let c = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == c }, "All rows must have the same length")
    self.init(rows: rowArrays.count, columns: c, scalars: rowArrays.flatMap { $0 })
  }

  /// An n×1 column vector.
  @inlinable
  public init(column: [Scalar]) { self.init(rows: column.count, columns: 1, scalars: column) }

  /// A 1×n row vector.
  @inlinable
  public init(row: [Scalar]) { self.init(rows: 1, columns: row.count, scalars: row) }

  /// A 1×1 tensor.
  @inlinable
  public init(scalar: Scalar) { self.init(rows: 1, columns: 1, scalars: [scalar]) }

  /// An all-zero tensor.
  @inlinable
  public static func zeros(rows: Int, columns: Int) -> Tensor {
    Tensor(rows: rows, columns: columns, repeating: 0)
  }

  /// The n×n identity matrix.
  public static func identity(_ n: Int) -> Tensor {
    var t = Tensor.zeros(rows: n, columns: n)
    for i in 0..<n { t.scalars[i * n + i] = 1 }
    return t
  }

  /// `(rows, columns)`.
  @inlinable public var shape: (rows: Int, columns: Int) { (rows, columns) }
  /// Number of elements.
  @inlinable public var count: Int { scalars.count }
  /// True for a 1×1 tensor.
  @inlinable public var isScalar: Bool { rows == 1 && columns == 1 }
  /// The single element of a 1×1 tensor.
  /// - Precondition: the tensor is 1×1.
  @inlinable public var scalar: Scalar {
    precondition(isScalar, "scalar requires a 1×1 tensor, got \(rows)×\(columns)")
    return scalars[0]
  }

  /// Element (i, j).
  @inlinable
  public subscript(i: Int, j: Int) -> Scalar {
    get { scalars[i * columns + j] }
    set { scalars[i * columns + j] = newValue }
  }

  /// Same shape test.
  @inlinable
  public func hasShape(of other: Tensor) -> Bool { rows == other.rows && columns == other.columns }

  /// True when every element is finite.
  public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

  /// The same elements in another precision.
  @inlinable
  public func converted<T: TensorScalar>(to: T.Type = T.self) -> Tensor<T> {
    Tensor<T>(rows: rows, columns: columns, scalars: scalars.map { T($0) })
  }

  /// Applies `f` to every element.
  @inlinable
  public func map(_ f: (Scalar) throws -> Scalar) rethrows -> Tensor {
    Tensor(rows: rows, columns: columns, scalars: try scalars.map(f))
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let shown = (0..<Swift.min(rows, 6)).map { i in
      "[" + (0..<Swift.min(columns, 8)).map { "\(self[i, $0])" }.joined(separator: ", ")
        + (columns > 8 ? ", …" : "") + "]"
    }
    return "Tensor<\(Scalar.self)> \(rows)×\(columns) [" + shown.joined(separator: ", ") + (rows > 6 ? ", …" : "") + "]"
  }
}

// MARK: - Shape manipulation

extension Tensor {
  /// Row `i` as an array.
  @inlinable
  public func row(_ i: Int) -> [Scalar] {
    precondition(i >= 0 && i < rows, "Row \(i) out of range 0..<\(rows)")
    return Array(scalars[(i * columns)..<((i + 1) * columns)])
  }

  /// The transpose.
  public func transposed() -> Tensor {
    Tensor(rows: columns, columns: rows) { out in
      for i in 0..<rows { for j in 0..<columns { out[j * rows + i] = scalars[i * columns + j] } }
    }
  }

  /// The same elements with another shape.
  /// - Precondition: `rows * columns == count`.
  public func reshaped(rows r: Int, columns c: Int) -> Tensor {
    Tensor(rows: r, columns: c, scalars: scalars)
  }

  /// Columns `range` of every row.
  /// - Complexity: O(rows × range.count).
  @inlinable
  public func columns(_ range: Range<Int>) -> Tensor {
    precondition(
      range.lowerBound >= 0 && range.upperBound <= columns,
      "Column range \(range) out of bounds for \(columns) columns")
    let w = range.count
    if w == columns { return self }
    return Tensor(rows: rows, columns: w) { out in
      scalars.withUnsafeBufferPointer { src in
        for i in 0..<rows {
          for j in 0..<w { out[i * w + j] = src[i * columns + range.lowerBound + j] }
        }
      }
    }
  }

  /// Rows `range`.
  @inlinable
  public func rows(_ range: Range<Int>) -> Tensor {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Row range \(range) out of bounds for \(rows) rows")
    return Tensor(
      rows: range.count, columns: columns,
      scalars: Array(scalars[(range.lowerBound * columns)..<(range.upperBound * columns)]))
  }

  /// The rows at `indices`, in that order (indices may repeat).
  /// - Precondition: every index is in `0..<rows`.
  @inlinable
  public func gathering(rows indices: [Int]) -> Tensor {
    Tensor(rows: indices.count, columns: columns) { out in
      scalars.withUnsafeBufferPointer { src in
        for (k, i) in indices.enumerated() {
          precondition(i >= 0 && i < rows, "Gather index \(i) out of range 0..<\(rows)")
          for j in 0..<columns { out[k * columns + j] = src[i * columns + j] }
        }
      }
    }
  }

  /// Side-by-side concatenation `[a | b | …]`.
  /// - Precondition: all parts have the same number of rows.
  @inlinable
  public static func concatenatingColumns(_ parts: [Tensor]) -> Tensor {
    precondition(!parts.isEmpty, "Nothing to concatenate")
    let r = parts[0].rows
    precondition(parts.allSatisfy { $0.rows == r }, "Column concatenation needs equal row counts")
    let c = parts.reduce(0) { $0 + $1.columns }
    return Tensor(rows: r, columns: c) { out in
      var offset = 0
      for p in parts {
        for i in 0..<r { for j in 0..<p.columns { out[i * c + offset + j] = p.scalars[i * p.columns + j] } }
        offset += p.columns
      }
    }
  }

  /// Stacked concatenation (rows of `a`, then rows of `b`, …).
  /// - Precondition: all parts have the same number of columns.
  public static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
    precondition(!parts.isEmpty, "Nothing to concatenate")
    let c = parts[0].columns
    precondition(parts.allSatisfy { $0.columns == c }, "Row concatenation needs equal column counts")
    return Tensor(rows: parts.reduce(0) { $0 + $1.rows }, columns: c, scalars: parts.flatMap { $0.scalars })
  }
}
