import Foundation
import NCFTensor
import NCFFlows
import NCFData
import NCFFileSystem

/// Reading the CLI's inputs with every problem reported as one line naming
/// the file, and checking output paths before any long computation starts.
enum Files {
  // MARK: - Inputs

  /// An n×d sample array with at least `minimumRows` rows.
  /// - Throws: ``DataError`` (missing file, bad format, NaN/Inf, …) or ``CLIError``.
  static func samples(_ path: String, minimumRows: Int = 1) throws -> Tensor<Double> {
    let samples = try SampleFile.readSamples(path: path)
    if samples.rows < minimumRows {
      throw CLIError("\(path): \(samples.rows) sample\(samples.rows == 1 ? "" : "s"), need at least \(minimumRows)")
    }
    return samples
  }

  /// A trained model.
  /// - Throws: ``ModelFileError`` (missing, damaged, newer format, a directory).
  static func model(_ path: String) throws -> NCFModel {
    try ModelFile.load(from: path)
  }

  /// Source and target samples of one problem, with matching dimensions.
  static func pair(source: String, target: String, minimumRows: Int = 2) throws -> (Tensor<Double>, Tensor<Double>) {
    let x = try samples(source, minimumRows: minimumRows)
    let y = try samples(target, minimumRows: minimumRows)
    if x.columns != y.columns {
      throw CLIError("\(target): target points have \(y.columns) columns but the source points in \(source) have \(x.columns)")
    }
    return (x, y)
  }

  /// Checks that points (read from `path`) fit `model`.
  static func requireDimension(_ points: Tensor<Double>, path: String, model: NCFModel, modelPath: String) throws {
    if points.columns != model.dimension {
      throw CLIError("\(path): points have \(points.columns) columns but the model \(modelPath) is \(model.dimension)-D")
    }
  }

  /// The labels of a class-conditional problem, one file per side.
  /// - Throws: ``DataError`` for an unreadable file; the counts and classes
  ///   are checked by the problem (``NCFProblem/issue``).
  static func labels(source: String, target: String, column: SampleFile.Column?) throws -> (source: [Int], target: [Int]) {
    (try SampleFile.readLabels(path: source, column: column), try SampleFile.readLabels(path: target, column: column))
  }

  // MARK: - Model results

  /// `body`'s value, or, when a model result in it is NaN or infinite, a
  /// ``CLIError`` naming the model and the row (`source` and `target`: what
  /// source-space and target-space rows are rows of). map, eval, plot, demo,
  /// color-transfer and bench gaussian report model results through this.
  static func refusingNonFinite<T>(model: String, source: String, target: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as NonFiniteResultError {
      throw CLIError(error.message(model: model, source: source, target: target))
    }
  }

  // MARK: - Outputs

  /// Checks, before any work, that a file can be written at `path`: it is
  /// not a directory and its directory exists and is writable.
  /// - Parameter what: what the file is ("report", "plan" …), for the message.
  /// - Throws: ``CLIError`` naming the path.
  static func checkWritable(_ path: String, what: String? = nil) throws {
    do throws(AtomicFile.Failure) {
      try AtomicFile.checkDestination(path)
    } catch {
      let target = what.map { " the \($0)" } ?? ""
      if error.reason == "the path is a directory" {
        throw CLIError("\(path): is a directory, expected a file name\(what.map { " for the \($0)" } ?? "")")
      }
      throw CLIError("\(path.isEmpty ? "an output path is empty" : "\(path): cannot write\(target): \(error.reason)")")
    }
  }

  /// Checks a sample output path: writable, with an extension naming a format.
  @discardableResult
  static func checkSampleOutput(_ path: String) throws -> SampleFile.Format {
    let format = try SampleFile.Format(path: path)
    try checkWritable(path)
    return format
  }

  /// Checks an SVG output path.
  static func checkSVGOutput(_ path: String) throws {
    if URL(fileURLWithPath: path).pathExtension.lowercased() != "svg" {
      throw CLIError("\(path): figures are written as SVG; use a file name ending in .svg")
    }
    try checkWritable(path)
  }

  /// The extension of `path`, lower-cased (`""` when there is none).
  static func pathExtension(_ path: String) -> String { URL(fileURLWithPath: path).pathExtension.lowercased() }

  /// Writes text atomically (temporary file + rename).
  static func writeText(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  /// Writes bytes atomically (temporary file + rename).
  /// - Throws: ``CLIError`` naming the path.
  static func write(_ bytes: [UInt8], to path: String) throws {
    do throws(AtomicFile.Failure) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw CLIError("\(path): cannot write: \(error.reason)")
    }
  }

}
