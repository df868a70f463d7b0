import Foundation
import NCFFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading whole files and writing them atomically, with every failure
/// turned into a ``DataError`` that names the path.
enum FileIO {
  /// The contents of the file at `path` (memory-mapped when that is safe).
  /// - Throws: `.fileNotFound`, `.isDirectory` or `.unreadable`.
  static func read(_ path: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DataError(.fileNotFound, path: path)
    }
    if isDirectory.boolValue { throw DataError(.isDirectory, path: path) }
    // Ask the OS first: its reason ("Permission denied") is clearer than Foundation's.
    if access(path, R_OK) != 0 {
      throw DataError(.unreadable(reason: String(cString: strerror(errno))), path: path)
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
    } catch {
      throw DataError(.unreadable(reason: "\(error.localizedDescription)"), path: path)
    }
  }

  /// Writes `bytes` to `path` atomically (``AtomicFile``): readers see the
  /// old file or the complete new one, and a failure leaves no partial
  /// output behind.
  /// - Throws: `.unwritable` when the directory is missing, `path` is a
  ///   directory, or any system call fails.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    do throws(AtomicFile.Failure) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw DataError(.unwritable(reason: error.reason), path: path)
    }
  }
}
