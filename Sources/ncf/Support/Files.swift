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

  /// Labels for a labelled (class-conditional) problem: one per sample,
  /// the same classes on both sides, at least two samples per class and side.
  static func labels(
    source: (labels: String, samples: String, rows: Int), target: (labels: String, samples: String, rows: Int),
    column: SampleFile.Column?
  ) throws -> (source: [Int], target: [Int]) {
    let a = try SampleFile.readLabels(path: source.labels, column: column)
    let b = try SampleFile.readLabels(path: target.labels, column: column)
    for (labels, side) in [(a, source), (b, target)] where labels.count != side.rows {
      throw CLIError("\(side.labels): \(labels.count) labels but \(side.samples) has \(side.rows) samples")
    }
    let ca = Set(a), cb = Set(b)
    if ca != cb {
      let onlyA = ca.subtracting(cb).sorted().map(String.init).joined(separator: ", ")
      let onlyB = cb.subtracting(ca).sorted().map(String.init).joined(separator: ", ")
      throw CLIError("\(source.labels), \(target.labels): the label files have different classes (only in source: [\(onlyA)]; only in target: [\(onlyB)])")
    }
    for (labels, side) in [(a, source), (b, target)] {
      var counts: [Int: Int] = [:]
      for l in labels { counts[l, default: 0] += 1 }
      if let (c, n) = counts.sorted(by: { $0.key < $1.key }).first(where: { $0.value < 2 }) {
        throw CLIError("\(side.labels): class \(c) has \(n) sample; every class needs at least 2 on each side")
      }
    }
    return (a, b)
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

/// Deterministic row subsampling for metrics whose cost grows with n².
extension Tensor where Scalar == Double {
  /// At most `limit` rows, chosen at random (seeded) when there are more.
  func subsample(_ limit: Int, seed: UInt64) -> Tensor<Double> {
    guard rows > limit else { return self }
    var rng = SeededRandom(seed: seed)
    return gathering(rows: Array(rng.permutation(rows).prefix(limit)).sorted())
  }

  /// Rows as (x, y) pairs (columns 0 and 1).
  var points2D: [(x: Double, y: Double)] {
    (0..<rows).map { (self[$0, 0], self[$0, 1]) }
  }
}

/// Number formatting for summaries.
enum Text {
  /// Scientific notation with three significant digits (`1.23e-04`), or `n/a`.
  static func sci(_ x: Double?) -> String {
    guard let x else { return "n/a" }
    return x.isFinite ? String(format: "%.3e", x) : "\(x)"
  }

  /// Fixed notation with `digits` decimals.
  static func fixed(_ x: Double, _ digits: Int = 3) -> String {
    x.isFinite ? String(format: "%.\(digits)f", x) : "\(x)"
  }

  /// `12.3 s`, `2 min 05 s`.
  static func seconds(_ s: Double) -> String {
    s < 60 ? String(format: "%.1f s", s) : String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60)
  }
}
