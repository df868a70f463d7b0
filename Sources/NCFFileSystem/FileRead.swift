import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a whole input file, the one implementation behind every reader
/// of the package (samples, labels, images); each module turns a
/// ``Failure`` into its own error type, which adds the path.
public enum FileRead {
  /// Why a file cannot be read.
  public enum Failure: Error, Equatable, Sendable {
    case notFound
    case isDirectory
    /// The system's reason, e.g. "Permission denied".
    case unreadable(reason: String)
  }

  /// The contents of the regular file at `path`, memory-mapped when that is
  /// safe (large sample files are not copied).
  /// - Throws: ``Failure``.
  /// - Complexity: O(1) for a mapped file; O(size) otherwise.
  public static func contents(of path: String) throws(Failure) -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound }
    if isDirectory.boolValue { throw .isDirectory }
    // Ask the OS first: its reason ("Permission denied") is clearer than Foundation's.
    if access(path, R_OK) != 0 { throw .unreadable(reason: String(cString: strerror(errno))) }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
    } catch {
      throw .unreadable(reason: "\(error.localizedDescription)")
    }
  }
}
