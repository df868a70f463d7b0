/// The parts of the NumPy `.npy` format that describe an array: the dtype,
/// the memory order and the shape, parsed from the file's preamble.
///
/// Layout (NumPy Enhancement Proposal 1): the magic `\x93NUMPY`, a major and
/// a minor version byte, the header length (little-endian `UInt16` in
/// version 1.0, `UInt32` in 2.0 and 3.0), then the header itself: a Python
/// dict literal such as `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`,
/// padded with spaces and a newline so that the data starts on a 64-byte
/// boundary (16 bytes in old files). Version 3.0 only changes the header
/// encoding from Latin-1 to UTF-8.
public enum NPY {}

extension NPY {
  /// An element type from a `descr` string such as `'<f4'` or `'|u1'`.
  public struct DType: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric family.
    public enum Kind: Equatable, Hashable, Sendable {
      case float, signedInteger, unsignedInteger
    }
    /// The numeric family.
    public let kind: Kind
    /// Bytes per element: 2, 4 or 8 for floats; 1, 2, 4 or 8 for integers.
    public let size: Int
    /// True for `'>'`; single-byte types count as little-endian.
    public let isBigEndian: Bool

    /// Creates a dtype.
    /// - Precondition: the kind/size pair is one listed for ``size``.
    public init(kind: Kind, size: Int, isBigEndian: Bool = false) {
      let valid = kind == .float ? [2, 4, 8].contains(size) : [1, 2, 4, 8].contains(size)
      precondition(valid, "no \(kind) dtype of \(size) bytes")
      self.kind = kind
      self.size = size
      self.isBigEndian = size == 1 ? false : isBigEndian
    }

    /// Parses a NumPy type string (`'<f8'`, `'>i4'`, `'|u1'`, `'=f4'`, `'f8'`).
    /// Returns nil for anything else (complex, bool, strings, objects, …).
    public init?(descr: String) {
      var chars = Substring(descr)
      var bigEndian = false
      switch chars.first {
      case "<", "|": chars = chars.dropFirst()
      case ">": bigEndian = true; chars = chars.dropFirst()
      case "=": chars = chars.dropFirst()  // native order; every platform we run on is little-endian
      default: break
      }
      guard let code = chars.first, let size = Int(chars.dropFirst()) else { return nil }
      let kind: Kind
      switch code {
      case "f": kind = .float; guard [2, 4, 8].contains(size) else { return nil }
      case "i": kind = .signedInteger; guard [1, 2, 4, 8].contains(size) else { return nil }
      case "u": kind = .unsignedInteger; guard [1, 2, 4, 8].contains(size) else { return nil }
      default: return nil
      }
      self.init(kind: kind, size: size, isBigEndian: bigEndian)
    }

    /// The canonical type string NumPy would write, e.g. `<f8` or `|u1`.
    public var descr: String {
      let order = size == 1 ? "|" : (isBigEndian ? ">" : "<")
      let code = kind == .float ? "f" : (kind == .signedInteger ? "i" : "u")
      return "\(order)\(code)\(size)"
    }

    public var description: String { descr }

    /// True for the integer kinds.
    public var isInteger: Bool { kind != .float }
  }

  /// A parsed `.npy` header.
  public struct Header: Equatable, Sendable {
    /// The format version: 1.0, 2.0 or 3.0.
    public let version: (major: UInt8, minor: UInt8)
    /// The element type.
    public let dtype: DType
    /// True when the data is stored in column-major (Fortran) order.
    public let fortranOrder: Bool
    /// The array's dimensions (empty for a 0-d scalar).
    public let shape: [Int]
    /// Byte offset of the first element from the start of the file.
    public let dataOffset: Int

    /// Number of elements (the product of the shape; 1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }
    /// Number of data bytes the header promises.
    public var dataByteCount: Int { count * dtype.size }

    public static func == (a: Header, b: Header) -> Bool {
      a.version == b.version && a.dtype == b.dtype && a.fortranOrder == b.fortranOrder
        && a.shape == b.shape && a.dataOffset == b.dataOffset
    }
  }

  /// The six magic bytes every `.npy` file starts with.
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

  /// Parses the preamble and header at the start of `bytes`.
  /// - Parameter path: used only in error messages.
  /// - Throws: ``DataError`` `.malformedHeader` (bad magic, unknown version,
  ///   truncated header, invalid dict or shape) or `.unsupportedDType`.
  /// - Complexity: O(header length).
  public static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Header {
    func malformed(_ why: String) -> DataError { DataError(.malformedHeader(why), path: path) }
    guard bytes.count >= 8, bytes.prefix(6).elementsEqual(magic) else {
      throw malformed(bytes.count < 8 && magic.starts(with: bytes) ? "file ends inside the magic string" : "bad magic string (not a .npy file)")
    }
    let major = bytes[6], minor = bytes[7]
    let lengthBytes: Int
    switch (major, minor) {
    case (1, 0): lengthBytes = 2
    case (2, 0), (3, 0): lengthBytes = 4
    default: throw malformed("unsupported format version \(major).\(minor)")
    }
    guard bytes.count >= 8 + lengthBytes else { throw malformed("file ends inside the header length") }
    var headerLength = 0
    for k in 0..<lengthBytes { headerLength |= Int(bytes[8 + k]) << (8 * k) }
    let start = 8 + lengthBytes
    guard bytes.count >= start + headerLength else {
      throw malformed("header is truncated (\(headerLength) bytes promised, \(bytes.count - start) present)")
    }
    let raw = bytes[start..<(start + headerLength)]
    // Versions 1 and 2 use Latin-1, in which every byte is its own code point.
    let text = major == 3
      ? String(decoding: raw, as: UTF8.self)
      : String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))

    let value: PythonLiteral
    do {
      var parser = PythonLiteralParser(text)
      value = try parser.parseAll()
    } catch let error as PythonLiteralParser.Failure {
      throw malformed("header is not a Python dict literal (\(error.message))")
    }
    guard case .dict(let entries) = value else { throw malformed("header is not a dict") }
    var dict: [String: PythonLiteral] = [:]
    for (key, v) in entries {
      guard dict.updateValue(v, forKey: key) == nil else { throw malformed("key '\(key)' appears twice") }
    }
    for key in ["descr", "fortran_order", "shape"] where dict[key] == nil {
      throw malformed("header has no '\(key)' key")
    }

    let dtype: DType
    switch dict["descr"]! {
    case .string(let s):
      guard let d = DType(descr: s) else { throw DataError(.unsupportedDType("'\(s)'"), path: path) }
      dtype = d
    case .list:
      throw DataError(.unsupportedDType("(structured array)"), path: path)
    default:
      throw malformed("'descr' is not a string")
    }
    guard case .bool(let fortranOrder) = dict["fortran_order"]! else {
      throw malformed("'fortran_order' is not True or False")
    }
    guard case .tuple(let items) = dict["shape"]! else { throw malformed("'shape' is not a tuple") }
    var shape: [Int] = []
    var total = 1
    for item in items {
      guard case .integer(let d) = item else { throw malformed("'shape' holds a value that is not an integer") }
      guard d >= 0 else { throw malformed("'shape' has a negative dimension (\(d))") }
      shape.append(d)
      let (product, overflow) = total.multipliedReportingOverflow(by: d)
      guard !overflow else { throw malformed("'shape' is too large") }
      total = product
    }
    guard !total.multipliedReportingOverflow(by: dtype.size).overflow else { throw malformed("'shape' is too large") }
    return Header(version: (major, minor), dtype: dtype, fortranOrder: fortranOrder, shape: shape,
                  dataOffset: start + headerLength)
  }

  /// The preamble and padded header for an array; the data follows directly.
  /// Uses version 1.0 unless the header is too long for its 16-bit length
  /// field, then 2.0. Pads, as NumPy does, so the data starts on a multiple
  /// of 64 bytes.
  static func encodeHeader(dtype: DType, shape: [Int], fortranOrder: Bool = false) -> [UInt8] {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    let dict = "{'descr': '\(dtype.descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
    func padded(prefix: Int) -> [UInt8] {
      let unpadded = prefix + dict.utf8.count + 1  // + newline
      let padding = (64 - unpadded % 64) % 64
      return Array(dict.utf8) + [UInt8](repeating: 0x20, count: padding) + [0x0A]
    }
    var header = padded(prefix: 10)
    if header.count <= Int(UInt16.max) {
      let n = UInt16(header.count)
      return magic + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + header
    }
    header = padded(prefix: 12)
    let n = UInt32(header.count)
    return magic + [2, 0] + (0..<4).map { UInt8((n >> (8 * UInt32($0))) & 0xFF) } + header
  }
}

// MARK: - Python literals

/// The subset of Python literal syntax that appears in `.npy` headers.
indirect enum PythonLiteral: Equatable {
  case string(String)
  case integer(Int)
  case bool(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dict([(String, PythonLiteral)])

  static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x == y
    case (.integer(let x), .integer(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.none, .none): return true
    case (.tuple(let x), .tuple(let y)), (.list(let x), .list(let y)): return x == y
    case (.dict(let x), .dict(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }
}

/// A recursive-descent parser for Python literals: dicts with string keys,
/// tuples, lists, quoted strings, integers (with the Python 2 `L` suffix old
/// NumPy wrote), `True`, `False` and `None`. Whitespace is free between
/// tokens and trailing commas are allowed, as in Python. A parenthesised
/// single value without a comma is that value, not a tuple, again as in
/// Python: `(5)` is `5`, `(5,)` is a 1-tuple.
///
/// A header is untrusted input, so nesting is bounded: the parser recurses
/// once per level, and a header nested tens of thousands of levels deep would
/// otherwise overflow the stack. Real headers nest at most three levels
/// (dict, list of fields, tuple).
struct PythonLiteralParser {
  struct Failure: Error { let message: String }

  /// The deepest nesting of dicts, tuples and lists accepted.
  static let maximumDepth = 32

  private let chars: [Character]
  private var i = 0
  private var depth = 0

  init(_ text: String) { chars = Array(text) }

  /// Parses one literal that must span the whole text (surrounding whitespace aside).
  mutating func parseAll() throws -> PythonLiteral {
    let v = try value()
    skipSpace()
    guard i == chars.count else { throw Failure(message: "unexpected '\(chars[i])' after the literal") }
    return v
  }

  private mutating func skipSpace() {
    while i < chars.count, chars[i].isWhitespace { i += 1 }
  }

  private mutating func expect(_ c: Character) throws {
    skipSpace()
    guard i < chars.count else { throw Failure(message: "expected '\(c)', found the end") }
    guard chars[i] == c else { throw Failure(message: "expected '\(c)', found '\(chars[i])'") }
    i += 1
  }

  /// True (and consumes it) when the next non-space character is `c`.
  private mutating func accept(_ c: Character) -> Bool {
    skipSpace()
    if i < chars.count, chars[i] == c { i += 1; return true }
    return false
  }

  private mutating func value() throws -> PythonLiteral {
    skipSpace()
    guard i < chars.count else { throw Failure(message: "unexpected end") }
    let opensContainer = chars[i] == "{" || chars[i] == "(" || chars[i] == "["
    if opensContainer {
      guard depth < Self.maximumDepth else { throw Failure(message: "nested more than \(Self.maximumDepth) levels deep") }
      depth += 1
    }
    defer { if opensContainer { depth -= 1 } }
    switch chars[i] {
    case "{": return try dict()
    case "(":
      i += 1
      let (items, sawComma) = try sequence(closing: ")")
      return items.count == 1 && !sawComma ? items[0] : .tuple(items)
    case "[":
      i += 1
      return .list(try sequence(closing: "]").items)
    case "'", "\"": return .string(try string())
    case "-", "+", "0"..."9": return .integer(try integer())
    default:
      var word = ""
      while i < chars.count, chars[i].isLetter || chars[i] == "_" { word.append(chars[i]); i += 1 }
      switch word {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .none
      case "": throw Failure(message: "unexpected '\(chars[i])'")
      default: throw Failure(message: "unknown name '\(word)'")
      }
    }
  }

  /// Comma-separated values up to `closing` (already past the opener).
  private mutating func sequence(closing: Character) throws -> (items: [PythonLiteral], sawComma: Bool) {
    var items: [PythonLiteral] = []
    var sawComma = false
    while true {
      if accept(closing) { return (items, sawComma) }
      items.append(try value())
      if accept(closing) { return (items, sawComma) }
      try expect(",")
      sawComma = true
    }
  }

  private mutating func dict() throws -> PythonLiteral {
    try expect("{")
    var entries: [(String, PythonLiteral)] = []
    while true {
      if accept("}") { return .dict(entries) }
      skipSpace()
      guard i < chars.count, chars[i] == "'" || chars[i] == "\"" else {
        throw Failure(message: "dict keys must be strings")
      }
      let key = try string()
      try expect(":")
      entries.append((key, try value()))
      if accept("}") { return .dict(entries) }
      try expect(",")
    }
  }

  private mutating func string() throws -> String {
    let quote = chars[i]
    i += 1
    var s = ""
    while i < chars.count {
      let c = chars[i]
      i += 1
      if c == quote { return s }
      if c == "\\" {
        guard i < chars.count else { break }
        let e = chars[i]
        i += 1
        switch e {
        case "n": s.append("\n")
        case "t": s.append("\t")
        default: s.append(e)  // \\, \', \" and anything else taken literally
        }
      } else {
        s.append(c)
      }
    }
    throw Failure(message: "unterminated string")
  }

  private mutating func integer() throws -> Int {
    var sign = 1
    if chars[i] == "-" { sign = -1; i += 1 } else if chars[i] == "+" { i += 1 }
    var digits = ""
    while i < chars.count, chars[i].isASCII, chars[i].isNumber { digits.append(chars[i]); i += 1 }
    guard !digits.isEmpty else { throw Failure(message: "expected digits") }
    if i < chars.count, chars[i] == "L" || chars[i] == "l" { i += 1 }  // Python 2 long
    if i < chars.count, chars[i] == "." || chars[i] == "e" || chars[i] == "E" {
      throw Failure(message: "expected an integer, found a float")
    }
    guard let v = Int(digits) else { throw Failure(message: "integer \(digits) is too large") }
    return sign * v
  }
}
