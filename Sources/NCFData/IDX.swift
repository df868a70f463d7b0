import Foundation

/// An array of unsigned bytes read from an IDX file, the format of the MNIST
/// and Fashion-MNIST distributions: images (n×rows×columns) or labels (n).
public struct IDXArray: Equatable, Sendable {
  /// The dimensions, outermost first (e.g. [60000, 28, 28]).
  public let shape: [Int]
  /// The values in row-major order; `bytes.count` is the product of `shape`.
  public let bytes: [UInt8]

  /// - Precondition: 1 ≤ shape.count ≤ 255, every dimension ≥ 0 and below 2³¹,
  ///   and `bytes.count` is the product of `shape`.
  public init(shape: [Int], bytes: [UInt8]) {
    precondition((1...255).contains(shape.count), "IDX arrays have 1 to 255 dimensions")
    precondition(shape.allSatisfy { (0..<(1 << 31)).contains($0) }, "IDX dimensions are 32-bit")
    precondition(shape.reduce(1, *) == bytes.count, "\(bytes.count) bytes for shape \(shape)")
    self.shape = shape
    self.bytes = bytes
  }

  /// The number of items (the first dimension).
  public var count: Int { shape[0] }
  /// Bytes per item (the product of the remaining dimensions).
  public var itemSize: Int { shape.dropFirst().reduce(1, *) }
}

/// Reading and writing IDX files (LeCun's format for MNIST): a 4-byte magic
/// number 0 0 type rank, `rank` big-endian UInt32 dimensions, then the data.
/// Only unsigned bytes (type 0x08), the type of every MNIST-style file, are
/// read; gzip-compressed files (magic 1f 8b) are decompressed first.
public enum IDX {
  /// The type code of unsigned bytes.
  static let unsignedByte: UInt8 = 0x08

  /// Reads the IDX file at `path`, plain or gzip-compressed.
  /// - Throws: ``DataError``: file errors, `.malformedIDX` (bad magic, type,
  ///   rank or sizes, corrupt compression), `.truncated`.
  public static func read(path: String) throws -> IDXArray {
    let data = try FileIO.read(path)
    if Gzip.isGzip(data) {
      let plain: [UInt8]
      do throws(Gzip.Failure) {
        plain = try Gzip.decompress(data)
      } catch {
        throw DataError(.malformedIDX("gzip: \(error.message)"), path: path)
      }
      return try decode(plain, path: path)
    }
    return try decode(Array(data), path: path)
  }

  /// Decodes the bytes of a plain IDX file; `path` names it in errors.
  /// - Throws: ``DataError`` `.malformedIDX` or `.truncated`; trailing bytes
  ///   after the data are refused too (a sign of a wrong header).
  public static func decode(_ bytes: [UInt8], path: String) throws -> IDXArray {
    func malformed(_ why: String) -> DataError { DataError(.malformedIDX(why), path: path) }
    guard bytes.count >= 4 else { throw malformed("\(bytes.count) bytes, shorter than the 4-byte magic number") }
    guard bytes[0] == 0, bytes[1] == 0 else {
      throw malformed(String(format: "magic number starts %02x %02x, expected 00 00", bytes[0], bytes[1]))
    }
    let type = bytes[2], rank = Int(bytes[3])
    guard type == unsignedByte else {
      let names: [UInt8: String] = [0x09: "signed bytes", 0x0B: "16-bit integers", 0x0C: "32-bit integers",
                                    0x0D: "float32", 0x0E: "float64"]
      let name = names[type].map { " (\($0))" } ?? " (not an IDX type)"
      throw malformed(String(format: "data type 0x%02x", type) + name + "; only unsigned bytes (0x08) are read")
    }
    guard rank >= 1 else { throw malformed("rank 0; expected at least one dimension") }
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw malformed("\(bytes.count) bytes, shorter than the \(headerSize)-byte header of a rank-\(rank) array")
    }
    var shape: [Int] = []
    var total = 1
    for k in 0..<rank {
      let o = 4 + 4 * k
      let n = bytes[o..<o + 4].reduce(0) { $0 << 8 | Int($1) }
      guard n < 1 << 31 else { throw malformed("dimension \(k) is \(n), beyond 2³¹ − 1") }
      let (product, overflow) = total.multipliedReportingOverflow(by: n)
      guard !overflow, product <= 1 << 40 else { throw malformed("shape \(shape + [n]) holds too many values") }
      total = product
      shape.append(n)
    }
    let available = bytes.count - headerSize
    guard available >= total else { throw DataError(.truncated(expectedBytes: total, actualBytes: available), path: path) }
    guard available == total else {
      throw malformed("\(available - total) bytes after the \(total) data bytes that shape \(shape) promises")
    }
    return IDXArray(shape: shape, bytes: Array(bytes[headerSize...]))
  }

  /// The bytes of `array` as a plain IDX file.
  public static func encode(_ array: IDXArray) -> [UInt8] {
    var out: [UInt8] = [0, 0, unsignedByte, UInt8(array.shape.count)]
    for n in array.shape { out += [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    return out + array.bytes
  }

  /// Writes `array` to `path` atomically, gzip-compressed when `compressed`.
  /// - Throws: ``DataError`` `.unwritable`.
  public static func write(_ array: IDXArray, to path: String, compressed: Bool = false) throws {
    let plain = encode(array)
    try FileIO.writeAtomically(compressed ? Gzip.compress(plain) : plain, to: path)
  }
}
