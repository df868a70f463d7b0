import Foundation

/// Where the benchmark's files are: `benchmarks/w2-mix3to10/dD/` under a data
/// directory, looked for in this order:
///
/// 1. `$NCF_DATA_DIR` (a user's copy, or an installed tool's data);
/// 2. `data/` next to the running binary (an installed `ncf` with its data beside it);
/// 3. `data/` of the source checkout this module was built from (found through
///    `#filePath`), which is what `swift run` and `swift test` use.
///
/// The first directory that holds the dimension's folder wins.
public enum W2BenchmarkFiles {
  /// The dimensions the benchmark has weights for.
  public static let dimensions = [2, 4, 8, 16, 32, 64, 128]
  /// The benchmark folder under a data directory.
  public static let subdirectory = "benchmarks/w2-mix3to10"
  /// The environment variable naming a data directory.
  public static let environmentVariable = "NCF_DATA_DIR"

  /// The data directories searched, in order, for `environment`.
  public static func searchPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    var roots: [String] = []
    if let dir = environment[environmentVariable], !dir.isEmpty { roots.append(dir) }
    if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
      roots.append(exe.deletingLastPathComponent().appendingPathComponent("data").path)
    }
    // Sources/NCFBenchmarks/W2/<this file> → the checkout's root.
    var checkout = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { checkout.deleteLastPathComponent() }
    roots.append(checkout.appendingPathComponent("data").path)
    return roots
  }

  /// The folder of dimension `d`: the first of `roots` (data directories;
  /// default ``searchPath(environment:)``) that holds it.
  /// - Throws: ``W2BenchmarkError/unknownDimension(_:)`` for a dimension the
  ///   benchmark does not have, ``W2BenchmarkError/filesNotFound(dimension:searched:)``
  ///   (naming every place looked in) when no data directory holds it.
  public static func directory(dimension d: Int, searching roots: [String] = searchPath()) throws(W2BenchmarkError) -> URL {
    guard dimensions.contains(d) else { throw .unknownDimension(d) }
    let searched = roots.map {
      URL(fileURLWithPath: $0).appendingPathComponent(subdirectory).appendingPathComponent("d\(d)")
    }
    for folder in searched {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent("benchmark.json").path, isDirectory: &isDirectory),
         !isDirectory.boolValue {
        return folder
      }
    }
    throw .filesNotFound(dimension: d, searched: searched.map(\.path))
  }
}

/// Why the W2 benchmark could not be loaded.
public enum W2BenchmarkError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The benchmark has no pair in this dimension.
  case unknownDimension(Int)
  /// No data directory holds the dimension's files.
  case filesNotFound(dimension: Int, searched: [String])
  /// A file is missing, unreadable or of the wrong shape.
  case badFile(path: String, reason: String)

  public var description: String {
    switch self {
    case .unknownDimension(let d):
      return "the W2 benchmark has no dimension \(d); it has d = \(W2BenchmarkFiles.dimensions.map(String.init).joined(separator: ", "))"
    case .filesNotFound(let d, let searched):
      return "the W2 benchmark files for d = \(d) were not found; looked in:\n"
        + searched.map { "  \($0)" }.joined(separator: "\n")
        + "\nSet \(W2BenchmarkFiles.environmentVariable) to a directory holding \(W2BenchmarkFiles.subdirectory)/ (the repository's data/ folder)."
    case .badFile(let path, let reason):
      return "W2 benchmark file \(path): \(reason)"
    }
  }
}
