import Foundation
import NCFTensor

/// Delimited text tables of numbers: comma-, semicolon-, tab- or
/// whitespace-separated, with an optional header line.
///
/// Reading rules:
/// - The separator is detected from the first row: a comma if it has one,
///   else a semicolon, else a tab, else runs of spaces.
/// - The first row is a header when any of its cells is not a number.
/// - Blank lines and lines starting with `#` are skipped (so `np.savetxt`
///   output with a `# …` header reads as is); `\r\n` line ends are fine.
/// - Cells may be wrapped in double quotes (a quoted cell may contain the
///   separator; `""` is an escaped quote); spaces around cells are ignored.
/// - Every row must have as many cells as the first one.
///
/// Row numbers in errors are 0-based data rows (the header not counted),
/// together with the 1-based line number in the file.
public enum CSV {
  /// A cell separator.
  public enum Separator: Equatable, Sendable {
    case comma, semicolon, tab, whitespace

    var byte: UInt8? {
      switch self {
      case .comma: return UInt8(ascii: ",")
      case .semicolon: return UInt8(ascii: ";")
      case .tab: return UInt8(ascii: "\t")
      case .whitespace: return nil
      }
    }

    /// The text written between cells.
    public var text: String {
      switch self {
      case .comma: return ","
      case .semicolon: return ";"
      case .tab: return "\t"
      case .whitespace: return " "
      }
    }
  }

  // MARK: - Reading

  /// Reads a numeric table as an n×d tensor (the header, if any, is returned separately).
  /// - Parameter magnitudeLimit: the largest magnitude accepted (nil: any
  ///   value finite in `S`).
  /// - Throws: ``DataError``: file errors, `.empty`, `.raggedRow`,
  ///   `.nonNumeric`, `.nonFinite` or `.outOfRange` (first offending row, 0-based).
  /// - Complexity: O(file size).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func readTensor<S: TensorScalar>(
    path: String, as type: S.Type = S.self, magnitudeLimit: Double? = nil
  ) throws -> (tensor: Tensor<S>, header: [String]?) {
    let data = try FileIO.read(path)
    let limit = min(magnitudeLimit ?? .infinity, Double(S.greatestFiniteMagnitude))
    return try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var values: [S] = []
      let shape = try scan(bytes, path: path) { r, line, cells in
        for (c, range) in cells.enumerated() {
          guard let v = number(bytes, range) else {
            throw DataError(.nonNumeric(row: r, line: line, column: c, text: shortText(bytes, range)), path: path)
          }
          guard v.isFinite else { throw DataError(.nonFinite(row: r, column: c), path: path) }
          guard Swift.abs(v) <= limit else {
            throw DataError(.outOfRange(row: r, column: c, value: v, limit: limit), path: path)
          }
          values.append(S(v))
        }
      }
      guard shape.rows > 0, shape.columns > 0 else {
        throw DataError(.empty(shape: [shape.rows, shape.columns]), path: path)
      }
      return (Tensor(rows: shape.rows, columns: shape.columns, scalars: values), shape.header)
    }
  }

  /// Reads integer labels from one column of a table.
  /// - Parameter column: the column by header name or 0-based index; nil
  ///   requires the table to have exactly one column.
  /// - Throws: ``DataError``: file errors, `.empty`, `.raggedRow`,
  ///   `.columnNotFound`, `.nonIntegerLabel`.
  /// - Complexity: O(file size).
  public static func readLabels(path: String, column: SampleFile.Column?) throws -> [Int] {
    let data = try FileIO.read(path)
    return try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var labels: [Int] = []
      var index = 0
      let shape = try scan(
        bytes, path: path,
        header: { header, columns in index = try resolve(column, header: header, columns: columns, path: path) },
        row: { r, _, cells in
          // Accept "3" and also "3.0" (labels written by float-minded tools).
          guard let v = number(bytes, cells[index]), let i = Int(exactly: v) else {
            throw DataError(.nonIntegerLabel(index: r, text: shortText(bytes, cells[index])), path: path)
          }
          labels.append(i)
        })
      guard shape.rows > 0, shape.columns > 0 else {
        throw DataError(.empty(shape: [shape.rows, shape.columns]), path: path)
      }
      return labels
    }
  }

  static func resolve(_ column: SampleFile.Column?, header: [String]?, columns: Int, path: String) throws -> Int {
    switch column {
    case nil:
      guard columns == 1 else {
        throw DataError(.columnNotFound("has \(columns) columns; say which one holds the labels (by name or 0-based index)"), path: path)
      }
      return 0
    case .index(let i)?:
      guard i >= 0 && i < columns else {
        throw DataError(.columnNotFound("no column \(i) (0-based; the table has \(columns) columns)"), path: path)
      }
      return i
    case .name(let name)?:
      guard let header else {
        throw DataError(.columnNotFound("no column named '\(name)': the file has no header line"), path: path)
      }
      guard let i = header.firstIndex(of: name) else {
        throw DataError(.columnNotFound("no column named '\(name)'; columns: \(header.joined(separator: ", "))"), path: path)
      }
      return i
    }
  }

  /// Walks the table line by line: decides on separator and header from the
  /// first row, calls `header` once with them (before any data row), then
  /// `row` for every data row with its 0-based index, 1-based line number
  /// and cells (byte ranges, trimmed and unquoted; the array is reused).
  /// - Returns: the header, the number of columns and of data rows.
  @inline(__always)
  static func scan(
    _ bytes: UnsafeBufferPointer<UInt8>, path: String,
    header: ([String]?, Int) throws -> Void = { _, _ in },
    row: (Int, Int, [Range<Int>]) throws -> Void
  ) throws -> (header: [String]?, columns: Int, rows: Int) {
    var start = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }  // UTF-8 BOM
    var names: [String]? = nil
    var separator = Separator.comma
    var columns = 0, rows = 0
    var first = true
    var cells: [Range<Int>] = []
    var lineNumber = 0
    var lineStart = start
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      lineNumber += 1
      var end = lineEnd
      if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
      let range = trimmed(bytes, lineStart..<end)
      lineStart = lineEnd + 1
      if range.isEmpty || bytes[range.lowerBound] == UInt8(ascii: "#") { continue }
      if first { separator = detectSeparator(bytes, range) }
      split(bytes, range, separator: separator, into: &cells)
      if first {
        first = false
        columns = cells.count
        // A control character makes a cell neither a number nor a column
        // name, so such a first row is reported as a bad data row.
        let isHeader = !cells.allSatisfy { number(bytes, $0) != nil } && !cells.contains { hasControlCharacter(bytes, $0) }
        if isHeader {
          names = cells.map {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)
              .replacingOccurrences(of: "\"\"", with: "\"")
          }
        }
        try header(names, columns)
        if isHeader { continue }
      }
      guard cells.count == columns else {
        throw DataError(.raggedRow(row: rows, line: lineNumber, expected: columns, found: cells.count), path: path)
      }
      try row(rows, lineNumber, cells)
      rows += 1
    }
    if first { try header(nil, 0) }
    return (names, columns, rows)
  }

  static func detectSeparator(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Separator {
    let line = bytes[range]
    if line.contains(UInt8(ascii: ",")) { return .comma }
    if line.contains(UInt8(ascii: ";")) { return .semicolon }
    if line.contains(UInt8(ascii: "\t")) { return .tab }
    return .whitespace
  }

  @inline(__always)
  static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

  static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    var lo = range.lowerBound, hi = range.upperBound
    while lo < hi, isSpace(bytes[lo]) { lo += 1 }
    while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
    return lo..<hi
  }

  /// The cells of one (trimmed, non-empty) line, each trimmed and unquoted.
  static func split(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, separator: Separator, into cells: inout [Range<Int>]
  ) {
    cells.removeAll(keepingCapacity: true)
    guard let sep = separator.byte else {
      var i = range.lowerBound
      while i < range.upperBound {
        while i < range.upperBound, isSpace(bytes[i]) { i += 1 }
        let s = i
        while i < range.upperBound, !isSpace(bytes[i]) { i += 1 }
        if i > s { cells.append(unquoted(bytes, s..<i)) }
      }
      return
    }
    var i = range.lowerBound, cellStart = i, inQuotes = false
    while i < range.upperBound {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        inQuotes.toggle()
      } else if b == sep && !inQuotes {
        cells.append(unquoted(bytes, trimmed(bytes, cellStart..<i)))
        cellStart = i + 1
      }
      i += 1
    }
    cells.append(unquoted(bytes, trimmed(bytes, cellStart..<range.upperBound)))
  }

  /// Drops one pair of surrounding double quotes.
  static func unquoted(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
    if r.count >= 2, bytes[r.lowerBound] == UInt8(ascii: "\""), bytes[r.upperBound - 1] == UInt8(ascii: "\"") {
      return (r.lowerBound + 1)..<(r.upperBound - 1)
    }
    return r
  }

  /// True when the cell holds a control character other than a tab
  /// (tabs inside a cell are not numbers either, but may be in a column name).
  @inline(__always)
  static func hasControlCharacter(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
    r.contains { (bytes[$0] < 0x20 && bytes[$0] != 0x09) || bytes[$0] == 0x7F }
  }

  /// The cell as a Double, or nil when it is not a number. Accepts what
  /// Swift's (locale-independent) parser does, including `nan` and `inf`,
  /// which the callers then reject as non-finite with a better message.
  /// Cells with a control character are not numbers: the parser reads a C
  /// string, so `1.5\0xyz` would otherwise read as 1.5.
  @inline(__always)
  static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
    guard !r.isEmpty, r.count < 400, !hasControlCharacter(bytes, r) else { return nil }
    // Cells of up to 15 bytes become small strings with no heap allocation.
    return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self))
  }

  /// The cell text for an error message, shortened to 40 characters, with
  /// control characters shown as `\u{…}` escapes (a raw NUL or escape
  /// sequence would garble the terminal).
  static func shortText(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
    let short = s.count > 40 ? String(s.prefix(40)) + "…" : s
    return short.unicodeScalars.map { c in
      c.value < 0x20 || c.value == 0x7F ? "\\u{\(String(c.value, radix: 16))}" : String(c)
    }.joined()
  }

  // MARK: - Writing

  /// The table text for `tensor`: one row per line, an optional header line,
  /// and each value in the shortest form that reads back to the same
  /// float32 or float64 value (so a write/read round trip is exact).
  /// - Precondition: `header`, when given, has one name per column.
  /// - Complexity: O(rows·columns).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func encode<S: TensorScalar>(
    _ tensor: Tensor<S>, separator: Separator = .comma, header: [String]? = nil,
    precision: SampleFile.Precision = .float64
  ) -> String {
    precondition(header == nil || header!.count == tensor.columns,
                 "CSV header has \(header!.count) names for \(tensor.columns) columns")
    var out = ""
    out.reserveCapacity(tensor.count * 12)
    let sep = separator.text
    if let header {
      out += header.map { quotedIfNeeded($0, separator: sep) }.joined(separator: sep)
      out += "\n"
    }
    for i in 0..<tensor.rows {
      for j in 0..<tensor.columns {
        if j > 0 { out += sep }
        let x = tensor.scalars[i * tensor.columns + j]
        out += precision == .float32 ? Float(x).description : Double(x).description
      }
      out += "\n"
    }
    return out
  }

  static func quotedIfNeeded(_ name: String, separator: String) -> String {
    let needs = name.contains(separator) || name.contains("\"") || name.contains(" ") || name.isEmpty
    return needs ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
  }

  /// Writes `tensor` as delimited text, atomically.
  /// - Throws: ``DataError`` `.unwritable`.
  public static func write<S: TensorScalar>(
    _ tensor: Tensor<S>, to path: String, separator: Separator = .comma, header: [String]? = nil,
    precision: SampleFile.Precision = .float64
  ) throws {
    let text = encode(tensor, separator: separator, header: header, precision: precision)
    try FileIO.writeAtomically(Array(text.utf8), to: path)
  }
}
