import Foundation
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

  /// Writes `bytes` to `path` atomically: the data goes to a temporary file
  /// in the same directory, is flushed to disk, and is then renamed over
  /// `path`. Readers see either the old file or the complete new one, and a
  /// failure leaves no partial output behind. A symbolic link at `path` is
  /// replaced by the new file, not written through.
  /// - Throws: `.unwritable` when the directory is missing, `path` is a
  ///   directory, or any system call fails.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw DataError(.unwritable(reason: "the path is a directory"), path: path)
    }
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
      throw DataError(.unwritable(reason: "directory '\(directory)' does not exist"), path: path)
    }
    guard isDirectory.boolValue else {
      throw DataError(.unwritable(reason: "'\(directory)' is not a directory"), path: path)
    }
    func failure(_ what: String) -> DataError {
      DataError(.unwritable(reason: "\(what): \(String(cString: strerror(errno)))"), path: path)
    }
    // A hidden name that cannot collide with another writer (pid + random).
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw failure("cannot create a temporary file in '\(directory)'") }
    var ok = false
    defer {
      if !ok { unlink(temporary) }
    }
    var written = 0
    let writeError: DataError? = bytes.withUnsafeBytes { raw in
      while written < raw.count {
        let n = write(fd, raw.baseAddress! + written, raw.count - written)
        if n < 0 {
          if errno == EINTR { continue }
          return failure("write failed")
        }
        written += n
      }
      return nil
    }
    if let writeError { close(fd); throw writeError }
    guard fsync(fd) == 0 else { let e = failure("fsync failed"); close(fd); throw e }
    guard close(fd) == 0 else { throw failure("close failed") }
    guard rename(temporary, path) == 0 else { throw failure("rename failed") }
    ok = true
  }
}
