// Element-wise arithmetic with broadcasting.
//
// Broadcasting rule: two shapes are compatible when, in each dimension, the
// sizes are equal or one of them is 1; the result takes the larger size.
// So an n×d batch combines with an n×1 column (per-row factor), a 1×d row
// (per-column offset) or a 1×1 scalar.

extension Tensor {
  /// The shape two tensors broadcast to.
  /// - Precondition: the shapes are compatible.
  @inlinable
  public static func broadcastShape(_ a: Tensor, _ b: Tensor) -> (rows: Int, columns: Int) {
    func dim(_ x: Int, _ y: Int, _ name: String) -> Int {
      precondition(
        x == y || x == 1 || y == 1,
        "Cannot broadcast \(a.rows)×\(a.columns) with \(b.rows)×\(b.columns) (\(name) differ)")
      return x == 1 ? y : x
    }
    return (dim(a.rows, b.rows, "rows"), dim(a.columns, b.columns, "columns"))
  }

  /// Applies `f` element-wise after broadcasting `a` and `b` to a common shape.
  @inlinable @inline(__always)
  public static func broadcasting(_ a: Tensor, _ b: Tensor, _ f: (Scalar, Scalar) -> Scalar) -> Tensor {
    if a.hasShape(of: b) {
      return Tensor(rows: a.rows, columns: a.columns) { out in
        a.scalars.withUnsafeBufferPointer { pa in
          b.scalars.withUnsafeBufferPointer { pb in
            for i in 0..<out.count { out[i] = f(pa[i], pb[i]) }
          }
        }
      }
    }
    let (r, c) = broadcastShape(a, b)
    // Strides of 0 repeat a dimension of size 1.
    let ars = a.rows == 1 ? 0 : a.columns, acs = a.columns == 1 ? 0 : 1
    let brs = b.rows == 1 ? 0 : b.columns, bcs = b.columns == 1 ? 0 : 1
    return Tensor(rows: r, columns: c) { out in
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          for i in 0..<r {
            let ao = i * ars, bo = i * brs, oo = i * c
            for j in 0..<c { out[oo + j] = f(pa[ao + j * acs], pb[bo + j * bcs]) }
          }
        }
      }
    }
  }

  /// Sums `self` down to `rows × columns` by adding over broadcast dimensions
  /// (the adjoint of broadcasting, used by pullbacks).
  /// - Precondition: each target dimension equals the current one or is 1.
  @inlinable
  public func reduced(toRows r: Int, columns c: Int) -> Tensor {
    if r == rows && c == columns { return self }
    precondition((r == rows || r == 1) && (c == columns || c == 1), "Cannot reduce \(rows)×\(columns) to \(r)×\(c)")
    var out = Tensor.zeros(rows: r, columns: c)
    out.scalars.withUnsafeMutableBufferPointer { po in
      scalars.withUnsafeBufferPointer { ps in
        for i in 0..<rows {
          let oi = r == 1 ? 0 : i * c
          for j in 0..<columns { po[oi + (c == 1 ? 0 : j)] += ps[i * columns + j] }
        }
      }
    }
    return out
  }

  @inlinable public static func + (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, +) }
  @inlinable public static func - (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, -) }
  @inlinable public static func * (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, *) }
  @inlinable public static func / (a: Tensor, b: Tensor) -> Tensor { broadcasting(a, b, /) }

  @inlinable public static func + (a: Tensor, s: Scalar) -> Tensor { a.map { $0 + s } }
  @inlinable public static func - (a: Tensor, s: Scalar) -> Tensor { a.map { $0 - s } }
  @inlinable public static func * (a: Tensor, s: Scalar) -> Tensor { a.map { $0 * s } }
  @inlinable public static func / (a: Tensor, s: Scalar) -> Tensor { a.map { $0 / s } }
  @inlinable public static func * (s: Scalar, a: Tensor) -> Tensor { a.map { s * $0 } }
  @inlinable public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

  /// In-place `self += alpha · other` (same shape).
  @inlinable
  public mutating func add(_ other: Tensor, scaledBy alpha: Scalar = 1) {
    precondition(hasShape(of: other), "add: shape \(rows)×\(columns) vs \(other.rows)×\(other.columns)")
    scalars.withUnsafeMutableBufferPointer { p in
      other.scalars.withUnsafeBufferPointer { q in
        for i in 0..<p.count { p[i] += alpha * q[i] }
      }
    }
  }

  @inlinable public static func += (a: inout Tensor, b: Tensor) { a.add(b) }

  /// Element-wise square.
  @inlinable public func squared() -> Tensor { map { $0 * $0 } }
  /// Element-wise square root.
  @inlinable public func squareRoot() -> Tensor { map { $0.squareRoot() } }
  /// Element-wise absolute value.
  @inlinable public func magnitude() -> Tensor { map { Swift.abs($0) } }
}

// MARK: - Transcendental functions (vectorised for Float)

extension Tensor {
  @inlinable
  func applying(
    _ kernel: (UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Int) -> Void
  ) -> Tensor {
    Tensor(rows: rows, columns: columns) { out in
      scalars.withUnsafeBufferPointer { src in
        if let s = src.baseAddress, let d = out.baseAddress { kernel(s, d, count) }
      }
    }
  }

  /// Element-wise e^x.
  public func exp() -> Tensor { applying { Scalar.vectorExp($0, $1, count: $2) } }
  /// Element-wise natural logarithm.
  public func log() -> Tensor { applying { Scalar.vectorLog($0, $1, count: $2) } }
  /// Element-wise hyperbolic tangent.
  public func tanh() -> Tensor { applying { Scalar.vectorTanh($0, $1, count: $2) } }
  /// Element-wise logistic sigmoid.
  public func sigmoid() -> Tensor { applying { Scalar.vectorSigmoid($0, $1, count: $2) } }
  /// Element-wise softplus log(1 + eˣ).
  public func softplus() -> Tensor { applying { Scalar.vectorSoftplus($0, $1, count: $2) } }
  /// Element-wise sine.
  public func sin() -> Tensor { map { Scalar.sin($0) } }
  /// Element-wise cosine.
  public func cos() -> Tensor { map { Scalar.cos($0) } }
}
