import Foundation
import NCFFileSystem

/// The data readers' and writers' file access (``FileRead``, ``AtomicFile``)
/// with every failure turned into a ``DataError`` that names the path.
enum FileIO {
  /// The contents of the file at `path` (memory-mapped when that is safe).
  /// - Throws: `.fileNotFound`, `.isDirectory` or `.unreadable`.
  static func read(_ path: String) throws -> Data {
    do throws(FileRead.Failure) {
      return try FileRead.contents(of: path)
    } catch {
      switch error {
      case .notFound: throw DataError(.fileNotFound, path: path)
      case .isDirectory: throw DataError(.isDirectory, path: path)
      case .unreadable(let reason): throw DataError(.unreadable(reason: reason), path: path)
      }
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
