/// Everything that can go wrong while reading or writing a data file.
///
/// `description` is always a single line of the form `<path>: <problem>`, so
/// the command-line tool can print it as is. Match on ``kind`` to react to a
/// particular failure; its associated values carry the specifics (rows and
/// columns are 0-based and say so in the message).
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What went wrong.
  public enum Kind: Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound
    /// The file exists but could not be read (`reason` from the OS).
    case unreadable(reason: String)
    /// A directory was found where a file is expected.
    case isDirectory
    /// The extension does not name a format we read or write.
    case unknownFormat(extension: String)
    /// The `.npy` preamble or header dictionary is invalid.
    case malformedHeader(String)
    /// An IDX file (MNIST's format) with a bad magic number, type, shape or
    /// compressed stream.
    case malformedIDX(String)
    /// The `.npy` element type is not one we decode.
    case unsupportedDType(String)
    /// The array has the wrong number of dimensions for its use.
    case wrongRank(shape: [Int], expected: String)
    /// The array or table holds no values.
    case empty(shape: [Int])
    /// The file ends before all the values its header promises.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The first NaN or ±Inf, at a 0-based data row and column.
    case nonFinite(row: Int, column: Int)
    /// The first finite value whose magnitude exceeds `limit` (by default the
    /// largest Float, the precision models compute in), at a 0-based data row and column.
    case outOfRange(row: Int, column: Int, value: Double, limit: Double)
    /// A CSV row (0-based data row; `line` is 1-based in the file) whose cell
    /// count differs from the first row's.
    case raggedRow(row: Int, line: Int, expected: Int, found: Int)
    /// A CSV cell that is not a number (0-based data row and column).
    case nonNumeric(row: Int, line: Int, column: Int, text: String)
    /// A label that is not an integer (0-based index into the labels).
    case nonIntegerLabel(index: Int, text: String)
    /// The requested label column does not exist or is ambiguous.
    case columnNotFound(String)
    /// The output path cannot be written.
    case unwritable(reason: String)
  }

  /// What went wrong.
  public let kind: Kind
  /// The file involved, as the caller named it.
  public let path: String

  /// Creates an error about `path`.
  public init(_ kind: Kind, path: String) {
    self.kind = kind
    self.path = path
  }

  /// One line: `<path>: <problem>`.
  public var description: String {
    let message: String
    switch kind {
    case .fileNotFound:
      message = "no such file"
    case .unreadable(let reason):
      message = "cannot read file (\(reason))"
    case .isDirectory:
      message = "is a directory, expected a file"
    case .unknownFormat(let ext):
      let shown = ext.isEmpty ? "no extension" : "extension '.\(ext)'"
      message = "unknown data format (\(shown)); use .npy, .csv, .tsv or .txt"
    case .malformedHeader(let detail):
      message = "malformed .npy file: \(detail)"
    case .malformedIDX(let detail):
      message = "malformed IDX file: \(detail)"
    case .unsupportedDType(let detail):
      message = "unsupported .npy dtype \(detail); supported: float16/32/64 and (u)int8/16/32/64, C or Fortran order"
    case .wrongRank(let shape, let expected):
      message = "array has shape \(Self.pythonShape(shape)) (\(shape.count)-D), expected \(expected)"
    case .empty(let shape):
      message = "no data (shape \(Self.pythonShape(shape)))"
    case .truncated(let expected, let actual):
      message = "file is truncated: the header promises \(expected) bytes of data, found \(actual)"
    case .nonFinite(let row, let column):
      message = "non-finite value (NaN or Inf) at row \(row), column \(column) (0-based, first offender)"
    case .outOfRange(let row, let column, let value, let limit):
      let range = limit == Double(Float.greatestFiniteMagnitude)
        ? "the float32 range (±3.4e38) that models compute in" : "the limit ±\(limit)"
      message = "value \(value) at row \(row), column \(column) (0-based, first offender) is beyond \(range)"
    case .raggedRow(let row, let line, let expected, let found):
      message = "row \(row) (0-based data row, line \(line)) has \(found) cells, expected \(expected)"
    case .nonNumeric(let row, let line, let column, let text):
      message = "non-numeric cell '\(text)' at row \(row), column \(column) (0-based data row and column, line \(line))"
    case .nonIntegerLabel(let index, let text):
      message = "label \(index) (0-based) is '\(text)', expected an integer"
    case .columnNotFound(let detail):
      message = detail
    case .unwritable(let reason):
      message = "cannot write (\(reason))"
    }
    return Self.oneLine("\(path): \(message)")
  }

  /// The shape as NumPy prints it: `(5,)`, `(3, 2)`, `()`.
  static func pythonShape(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// Replaces line breaks (which may hide in paths or cell text) so the
  /// message stays on one line, and shortens very long cell text.
  static func oneLine(_ s: String) -> String {
    String(s.map { $0.isNewline ? " " : $0 })
  }
}
