import Foundation
import NCFTensor

/// The one entry point for sample and label files: picks the format from the
/// file extension and reads or writes through ``NPY`` or ``CSV``.
///
/// | extension        | format                                          |
/// |------------------|-------------------------------------------------|
/// | `.npy`           | NumPy array (read: any supported dtype/order)   |
/// | `.csv`           | comma-separated (read: separator auto-detected) |
/// | `.tsv`           | tab-separated                                   |
/// | `.txt`, `.dat`   | whitespace-separated (`np.savetxt` default)     |
///
/// Samples are an n×d array: one point per row. Every write is atomic: a
/// temporary file in the destination directory is renamed over the target,
/// so no partial output is ever left behind.
public enum SampleFile {
  /// A file format, chosen from the extension.
  public enum Format: String, CaseIterable, Sendable {
    case npy, csv, tsv, txt

    /// The format for `path`'s extension (case-insensitive).
    /// - Throws: ``DataError`` `.unknownFormat`.
    public init(path: String) throws {
      let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
      switch ext {
      case "npy": self = .npy
      case "csv": self = .csv
      case "tsv", "tab": self = .tsv
      case "txt", "dat": self = .txt
      default: throw DataError(.unknownFormat(extension: ext), path: path)
      }
    }

    /// The separator written for text formats (reading auto-detects).
    var separator: CSV.Separator {
      switch self {
      case .csv: return .comma
      case .tsv: return .tab
      case .npy, .txt: return .whitespace
      }
    }
  }

  /// The floating-point precision written.
  public enum Precision: String, CaseIterable, Sendable {
    /// `<f4` in `.npy`; shortest float32 text in CSV.
    case float32
    /// `<f8` in `.npy`; shortest float64 text in CSV.
    case float64

    /// The precision that stores `S` exactly.
    public static func of<S: TensorScalar>(_: S.Type) -> Precision {
      MemoryLayout<S>.size == 4 ? .float32 : .float64
    }
  }

  /// A table column, by 0-based index or by header name.
  public enum Column: Equatable, Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    CustomStringConvertible
  {
    case index(Int)
    case name(String)

    /// A command-line value: all digits is an index, anything else a name.
    public init(parsing text: String) {
      if !text.isEmpty, text.allSatisfy(\.isASCII), let i = Int(text), i >= 0 { self = .index(i) } else { self = .name(text) }
    }
    public init(integerLiteral value: Int) { self = .index(value) }
    public init(stringLiteral value: String) { self = .name(value) }

    public var description: String {
      switch self {
      case .index(let i): return "column \(i)"
      case .name(let s): return "column '\(s)'"
      }
    }
  }

  // MARK: - Reading

  /// The largest sample magnitude ``readSamples(path:as:magnitudeLimit:)``
  /// accepts by default: the largest finite Float. Models train and map in
  /// Float, where a larger value (finite in Double) becomes infinite and
  /// turns every result it touches into NaN or nonsense.
  public static let trainingPrecisionLimit = Double(Float.greatestFiniteMagnitude)

  /// Reads an n×d sample array as Double. See ``readSamples(path:as:magnitudeLimit:)``.
  public static func readSamples(path: String) throws -> Tensor<Double> {
    try readSamples(path: path, as: Double.self)
  }

  /// Reads an n×d sample array (`.npy`, `.csv`, `.tsv`, `.txt`).
  ///
  /// A CSV header line is skipped; all columns are read.
  /// - Parameter magnitudeLimit: the largest magnitude accepted; by default
  ///   ``trainingPrecisionLimit``, so that every command refuses values that
  ///   overflow the Float its models compute in. nil accepts any value
  ///   finite in `S`.
  /// - Throws: ``DataError``, with one-line messages naming `path`:
  ///   missing/unreadable file, a directory, unknown extension, malformed
  ///   `.npy` header, unsupported dtype, a non-2-D array, no data, truncated
  ///   data, NaN/Inf or a value beyond the limit (first offending 0-based
  ///   row), ragged or non-numeric CSV.
  /// - Complexity: O(file size).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func readSamples<S: TensorScalar>(
    path: String, as type: S.Type, magnitudeLimit: Double? = trainingPrecisionLimit
  ) throws -> Tensor<S> {
    switch try Format(path: path) {
    case .npy: return try NPY.readTensor(path: path, as: S.self, magnitudeLimit: magnitudeLimit)
    case .csv, .tsv, .txt: return try CSV.readTensor(path: path, as: S.self, magnitudeLimit: magnitudeLimit).tensor
    }
  }

  /// Reads integer labels: a 1-D or n×1 integer `.npy` array, or one column
  /// of a text table.
  /// - Parameter column: for text tables, the label column by header name or
  ///   0-based index; nil requires a single-column table. Must be nil for `.npy`.
  /// - Throws: ``DataError`` (see ``readSamples(path:as:)``, plus
  ///   `.columnNotFound` and `.nonIntegerLabel`).
  /// - Complexity: O(file size).
  public static func readLabels(path: String, column: Column? = nil) throws -> [Int] {
    switch try Format(path: path) {
    case .npy:
      if let column {
        throw DataError(.columnNotFound("\(column) given, but a .npy label file is a single 1-D array"), path: path)
      }
      return try NPY.readLabels(path: path)
    case .csv, .tsv, .txt:
      return try CSV.readLabels(path: path, column: column)
    }
  }

  // MARK: - Writing

  /// Writes samples atomically.
  /// - Parameters:
  ///   - format: nil picks it from the extension of `path`.
  ///   - precision: nil keeps the tensor's own precision (Float → float32).
  ///   - header: column names for text formats (ignored for `.npy`).
  /// - Throws: ``DataError`` `.unknownFormat` or `.unwritable` (missing
  ///   directory, the path is a directory, a failing system call).
  /// - Complexity: O(rows·columns).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public static func write<S: TensorScalar>(
    _ samples: Tensor<S>, to path: String, format: Format? = nil, precision: Precision? = nil,
    header: [String]? = nil
  ) throws {
    let format = try format ?? Format(path: path)
    let precision = precision ?? .of(S.self)
    switch format {
    case .npy:
      try NPY.write(samples, to: path, precision: precision)
    case .csv, .tsv, .txt:
      try CSV.write(samples, to: path, separator: format.separator, header: header, precision: precision)
    }
  }

  /// Writes labels atomically: int64 `.npy`, or one integer per line.
  /// - Throws: ``DataError`` `.unknownFormat` or `.unwritable`.
  public static func writeLabels(_ labels: [Int], to path: String, format: Format? = nil) throws {
    switch try format ?? Format(path: path) {
    case .npy: try NPY.writeLabels(labels, to: path)
    case .csv, .tsv, .txt:
      try FileIO.writeAtomically(Array(labels.map { "\($0)\n" }.joined().utf8), to: path)
    }
  }
}
