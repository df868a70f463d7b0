import Foundation

/// Output-path checks and atomic text writes for `ncf ot` and
/// `ncf color-transfer`: every output is checked before any long
/// computation, so a bad path fails in a second, not after training.
enum OutputPaths {
  /// Checks that a file can be created at `path`: not a directory, its
  /// directory exists and is writable.
  /// - Throws: ``CLIError`` naming the path.
  static func checkWritable(_ path: String, what: String) throws {
    guard !path.isEmpty else { throw CLIError("the \(what) path is empty") }
    var isDirectory: ObjCBool = false
    if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
      throw CLIError("\(path): is a directory, expected a file name for the \(what)")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
      throw CLIError("\(path): cannot write the \(what): directory '\(directory)' does not exist")
    }
    guard isDirectory.boolValue else {
      throw CLIError("\(path): cannot write the \(what): '\(directory)' is not a directory")
    }
    if access(directory, W_OK) != 0 {
      throw CLIError("\(path): cannot write the \(what): directory '\(directory)' is not writable (\(String(cString: strerror(errno))))")
    }
  }

  /// The extension of `path`, lower-cased (`""` when there is none).
  static func pathExtension(_ path: String) -> String { URL(fileURLWithPath: path).pathExtension.lowercased() }

  /// Writes `data` atomically: a uniquely named temporary file in the same
  /// directory, flushed, then renamed over `path`; removed on any failure.
  /// - Throws: ``CLIError`` naming the path.
  static func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw CLIError("\(path): cannot write: \(String(cString: strerror(errno)))") }
    var ok = false
    defer { if !ok { unlink(temporary) } }
    var failure: String?
    data.withUnsafeBytes { raw in
      var written = 0
      while written < raw.count {
        let n = write(fd, raw.baseAddress! + written, raw.count - written)
        if n < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        written += n
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    if close(fd) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
    if let failure { throw CLIError("\(path): cannot write: \(failure)") }
    guard rename(temporary, path) == 0 else { throw CLIError("\(path): cannot write: \(String(cString: strerror(errno)))") }
    ok = true
  }
}
