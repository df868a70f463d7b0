import Foundation
import NCFTensor

// MARK: - Reading

extension NPY {
  /// The header of the `.npy` file at `path`, without decoding the data.
  /// - Throws: ``DataError`` for a missing or unreadable file or a bad header.
  public static func readHeader(path: String) throws -> Header {
    let data = try FileIO.read(path)
    return try data.withUnsafeBytes { try parseHeader($0, path: path) }
  }

  /// Reads a 2-D `.npy` array as an n×d tensor of samples.
  ///
  /// Accepts every dtype ``DType`` parses (float16/32/64 and integers, either
  /// byte order), converting to `S`, and either memory order: Fortran-order
  /// arrays are transposed into row-major. Bytes after the promised data are
  /// ignored, as NumPy does.
  /// - Throws: ``DataError``: file errors, `.malformedHeader`,
  ///   `.unsupportedDType`, `.wrongRank` (not 2-D), `.empty`, `.truncated`,
  ///   `.nonFinite` naming the first row (0-based) holding a NaN or ±Inf, or
  ///   `.outOfRange` for the first finite value beyond `magnitudeLimit` or
  ///   beyond the range of `S` (a float64 of 1e39 read as `Float`).
  /// - Parameter magnitudeLimit: the largest magnitude accepted (nil: any
  ///   value finite in `S`).
  /// - Complexity: O(n·d) time; the file is memory-mapped, so the extra memory
  ///   is the tensor itself.
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func readTensor<S: TensorScalar>(
    path: String, as type: S.Type = S.self, magnitudeLimit: Double? = nil
  ) throws -> Tensor<S> {
    let data = try FileIO.read(path)
    return try data.withUnsafeBytes { raw in
      let header = try parseHeader(raw, path: path)
      guard header.shape.count == 2 else {
        throw DataError(.wrongRank(shape: header.shape, expected: "a 2-D array (n points × d dimensions)"), path: path)
      }
      guard header.count > 0 else { throw DataError(.empty(shape: header.shape), path: path) }
      let payload = try dataRegion(raw, header: header, path: path)
      let (rows, columns) = (header.shape[0], header.shape[1])
      var values: [S] = decodeFloating(payload, dtype: header.dtype, count: header.count)
      if header.fortranOrder {
        // Column-major on disk: element (i, j) is at j·rows + i.
        values = Tensor(rows: columns, columns: rows, scalars: values).transposed().scalars
      }
      let limit = S(min(magnitudeLimit ?? .infinity, Double(S.greatestFiniteMagnitude)))
      // One comparison finds NaN, ±Inf and values beyond the limit alike.
      if let bad = values.firstIndex(where: { !(Swift.abs($0) <= limit) }) {
        let (row, column) = (bad / columns, bad % columns)
        // The value as stored (before conversion to S) tells overflow from NaN/Inf.
        let fileIndex = header.fortranOrder ? column * rows + row : bad
        let stored: Double = decodeFloating(
          UnsafeRawBufferPointer(rebasing: payload[(fileIndex * header.dtype.size)...]), dtype: header.dtype, count: 1)[0]
        guard stored.isFinite else { throw DataError(.nonFinite(row: row, column: column), path: path) }
        throw DataError(.outOfRange(row: row, column: column, value: stored, limit: Double(limit)), path: path)
      }
      return Tensor(rows: rows, columns: columns, scalars: values)
    }
  }

  /// Reads an array of any rank (network weights, vectors): its shape and
  /// its elements in C (row-major) order, converted to `S`.
  ///
  /// Unlike ``readTensor(path:as:magnitudeLimit:)`` this accepts every rank,
  /// including 0-D; Fortran-order arrays are reordered to C order.
  /// - Throws: ``DataError``: file and header errors, `.truncated`, or
  ///   `.nonFinite` (row = the flat C-order index, column 0) for a NaN or ±Inf.
  /// - Complexity: O(number of elements).
  public static func readArray<S: TensorScalar>(path: String, as type: S.Type = S.self) throws -> (shape: [Int], values: [S]) {
    let data = try FileIO.read(path)
    return try data.withUnsafeBytes { raw in
      let header = try parseHeader(raw, path: path)
      let payload = try dataRegion(raw, header: header, path: path)
      var values: [S] = decodeFloating(payload, dtype: header.dtype, count: header.count)
      if header.fortranOrder && header.shape.count > 1 {
        // Fortran order: the first index varies fastest; C order: the last.
        let shape = header.shape
        var cOrder = [S](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<values.count {
          var f = 0, stride = 1
          for axis in 0..<shape.count { f += index[axis] * stride; stride *= shape[axis] }
          cOrder[c] = values[f]
          var axis = shape.count - 1
          while axis >= 0 { index[axis] += 1; if index[axis] < shape[axis] { break }; index[axis] = 0; axis -= 1 }
        }
        values = cOrder
      }
      if let bad = values.firstIndex(where: { !$0.isFinite }) {
        throw DataError(.nonFinite(row: bad, column: 0), path: path)
      }
      return (header.shape, values)
    }
  }

  /// Reads integer labels from a 1-D or n×1 `.npy` array.
  ///
  /// Integer dtypes are taken as they are; float dtypes are accepted when
  /// every value is a whole number (labels saved as floats are common).
  /// - Throws: ``DataError``: file and header errors, `.wrongRank`, `.empty`,
  ///   `.truncated`, or `.nonIntegerLabel` for a fractional, non-finite or
  ///   out-of-range value.
  /// - Complexity: O(n).
  public static func readLabels(path: String) throws -> [Int] {
    let data = try FileIO.read(path)
    return try data.withUnsafeBytes { raw in
      let header = try parseHeader(raw, path: path)
      guard header.shape.count == 1 || (header.shape.count == 2 && header.shape[1] == 1) else {
        throw DataError(.wrongRank(shape: header.shape, expected: "a 1-D (n,) or n×1 array of labels"), path: path)
      }
      guard header.count > 0 else { throw DataError(.empty(shape: header.shape), path: path) }
      let payload = try dataRegion(raw, header: header, path: path)
      return try decodeIntegers(payload, dtype: header.dtype, count: header.count, path: path)
    }
  }

  /// The data bytes after the header, checked against the promised length.
  static func dataRegion(_ raw: UnsafeRawBufferPointer, header: Header, path: String) throws -> UnsafeRawBufferPointer {
    let available = raw.count - header.dataOffset
    guard available >= header.dataByteCount else {
      throw DataError(.truncated(expectedBytes: header.dataByteCount, actualBytes: available), path: path)
    }
    return UnsafeRawBufferPointer(rebasing: raw[header.dataOffset..<(header.dataOffset + header.dataByteCount)])
  }

  @inline(__always)
  static func load<U: FixedWidthInteger>(_ p: UnsafeRawBufferPointer, _ index: Int, _: U.Type, bigEndian: Bool) -> U {
    let v = p.loadUnaligned(fromByteOffset: index * MemoryLayout<U>.size, as: U.self)
    return bigEndian ? U(bigEndian: v) : U(littleEndian: v)
  }

  /// Elements in file order, converted to `S`.
  static func decodeFloating<S: TensorScalar>(_ p: UnsafeRawBufferPointer, dtype: DType, count: Int) -> [S] {
    let be = dtype.isBigEndian
    switch (dtype.kind, dtype.size) {
    case (.float, 2): return (0..<count).map { S(halfToDouble(load(p, $0, UInt16.self, bigEndian: be))) }
    case (.float, 4): return (0..<count).map { S(Float(bitPattern: load(p, $0, UInt32.self, bigEndian: be))) }
    case (.float, 8): return (0..<count).map { S(Double(bitPattern: load(p, $0, UInt64.self, bigEndian: be))) }
    case (.signedInteger, 1): return (0..<count).map { S(load(p, $0, Int8.self, bigEndian: be)) }
    case (.signedInteger, 2): return (0..<count).map { S(load(p, $0, Int16.self, bigEndian: be)) }
    case (.signedInteger, 4): return (0..<count).map { S(load(p, $0, Int32.self, bigEndian: be)) }
    case (.signedInteger, 8): return (0..<count).map { S(load(p, $0, Int64.self, bigEndian: be)) }
    case (.unsignedInteger, 1): return (0..<count).map { S(load(p, $0, UInt8.self, bigEndian: be)) }
    case (.unsignedInteger, 2): return (0..<count).map { S(load(p, $0, UInt16.self, bigEndian: be)) }
    case (.unsignedInteger, 4): return (0..<count).map { S(load(p, $0, UInt32.self, bigEndian: be)) }
    case (.unsignedInteger, 8): return (0..<count).map { S(load(p, $0, UInt64.self, bigEndian: be)) }
    default: preconditionFailure("DType invariant broken: \(dtype)")
    }
  }

  /// Elements in file order as `Int`, rejecting values that are not whole
  /// numbers representable as `Int`.
  static func decodeIntegers(_ p: UnsafeRawBufferPointer, dtype: DType, count: Int, path: String) throws -> [Int] {
    let be = dtype.isBigEndian
    func exact<T: BinaryInteger>(_ v: T, _ k: Int) throws -> Int {
      guard let i = Int(exactly: v) else { throw DataError(.nonIntegerLabel(index: k, text: "\(v)"), path: path) }
      return i
    }
    func whole(_ v: Double, _ k: Int) throws -> Int {
      guard let i = Int(exactly: v) else { throw DataError(.nonIntegerLabel(index: k, text: "\(v)"), path: path) }
      return i
    }
    switch (dtype.kind, dtype.size) {
    case (.float, 2): return try (0..<count).map { try whole(halfToDouble(load(p, $0, UInt16.self, bigEndian: be)), $0) }
    case (.float, 4): return try (0..<count).map { try whole(Double(Float(bitPattern: load(p, $0, UInt32.self, bigEndian: be))), $0) }
    case (.float, 8): return try (0..<count).map { try whole(Double(bitPattern: load(p, $0, UInt64.self, bigEndian: be)), $0) }
    case (.signedInteger, 1): return (0..<count).map { Int(load(p, $0, Int8.self, bigEndian: be)) }
    case (.signedInteger, 2): return (0..<count).map { Int(load(p, $0, Int16.self, bigEndian: be)) }
    case (.signedInteger, 4): return (0..<count).map { Int(load(p, $0, Int32.self, bigEndian: be)) }
    case (.signedInteger, 8): return (0..<count).map { Int(load(p, $0, Int64.self, bigEndian: be)) }
    case (.unsignedInteger, 1): return (0..<count).map { Int(load(p, $0, UInt8.self, bigEndian: be)) }
    case (.unsignedInteger, 2): return (0..<count).map { Int(load(p, $0, UInt16.self, bigEndian: be)) }
    case (.unsignedInteger, 4): return (0..<count).map { Int(load(p, $0, UInt32.self, bigEndian: be)) }
    case (.unsignedInteger, 8): return try (0..<count).map { try exact(load(p, $0, UInt64.self, bigEndian: be), $0) }
    default: preconditionFailure("DType invariant broken: \(dtype)")
    }
  }

  /// IEEE binary16 → Double, exactly (written out because `Float16` is not
  /// available on every platform we support).
  static func halfToDouble(_ h: UInt16) -> Double {
    let negative = h & 0x8000 != 0
    let exponent = Int((h >> 10) & 0x1F), fraction = Double(h & 0x3FF)
    let magnitude: Double
    switch exponent {
    case 0: magnitude = fraction * 0x1p-24  // subnormal
    case 31: magnitude = fraction == 0 ? .infinity : .nan
    default: magnitude = Double(sign: .plus, exponent: exponent - 15, significand: 1 + fraction / 1024)
    }
    return negative ? -magnitude : magnitude
  }
}

// MARK: - Writing

extension NPY {
  /// The bytes of a `.npy` file holding `tensor` as a C-order
  /// `(rows, columns)` array of little-endian float32 or float64.
  /// - Complexity: O(rows·columns).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func encode<S: TensorScalar>(_ tensor: Tensor<S>, precision: SampleFile.Precision) -> [UInt8] {
    let dtype = DType(kind: .float, size: precision == .float32 ? 4 : 8)
    let header = encodeHeader(dtype: dtype, shape: [tensor.rows, tensor.columns])
    var bytes = header + [UInt8](repeating: 0, count: tensor.count * dtype.size)
    bytes.withUnsafeMutableBytes { out in
      let base = header.count
      switch precision {
      case .float32:
        for (k, x) in tensor.scalars.enumerated() {
          out.storeBytes(of: Float(x).bitPattern.littleEndian, toByteOffset: base + 4 * k, as: UInt32.self)
        }
      case .float64:
        for (k, x) in tensor.scalars.enumerated() {
          out.storeBytes(of: Double(x).bitPattern.littleEndian, toByteOffset: base + 8 * k, as: UInt64.self)
        }
      }
    }
    return bytes
  }

  /// The bytes of a `.npy` file holding `labels` as a 1-D little-endian int64 array.
  public static func encodeLabels(_ labels: [Int]) -> [UInt8] {
    let header = encodeHeader(dtype: DType(kind: .signedInteger, size: 8), shape: [labels.count])
    var bytes = header + [UInt8](repeating: 0, count: labels.count * 8)
    bytes.withUnsafeMutableBytes { out in
      for (k, v) in labels.enumerated() {
        out.storeBytes(of: Int64(v).littleEndian, toByteOffset: header.count + 8 * k, as: Int64.self)
      }
    }
    return bytes
  }

  /// Writes `tensor` to `path` as `.npy` (see ``encode(_:precision:)``), atomically.
  /// - Throws: ``DataError`` `.unwritable`.
  public static func write<S: TensorScalar>(_ tensor: Tensor<S>, to path: String, precision: SampleFile.Precision) throws {
    try FileIO.writeAtomically(encode(tensor, precision: precision), to: path)
  }

  /// Writes `labels` to `path` as a 1-D int64 `.npy` array, atomically.
  /// - Throws: ``DataError`` `.unwritable`.
  public static func writeLabels(_ labels: [Int], to path: String) throws {
    try FileIO.writeAtomically(encodeLabels(labels), to: path)
  }
}
