#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic file replacement, the one implementation every writer of the
/// package uses (samples, models, images, figures, reports): the bytes go to
/// a new temporary file in the destination's directory, are flushed to disk
/// and the file is renamed over the destination. Readers see the old file or
/// the complete new one; on any failure the temporary file is removed and
/// the destination is untouched. A symbolic link at the destination is
/// replaced, not written through.
///
/// A process killed between creating and renaming its temporary file leaves
/// `.NAME.tmp-XXXX` behind. After each successful write of NAME, such files
/// of exactly that pattern (XXXX: 1–13 lower-case base-36 digits), regular
/// files last modified more than ``staleTemporaryAge`` ago, are removed; a
/// save still in progress keeps touching its file and is never that old.
public enum AtomicFile {
  /// Seconds after which a leftover temporary file counts as abandoned.
  public static let staleTemporaryAge: Double = 3600

  /// Why a destination cannot be written; `reason` is one short phrase
  /// (callers add the path in their own error type).
  public struct Failure: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
  }

  /// Checks, without writing, that a file can be created at `path`: it is
  /// not a directory, and its directory exists and is writable.
  /// - Complexity: a few `stat`/`access` calls.
  public static func checkDestination(_ path: String) throws(Failure) {
    guard !path.isEmpty else { throw Failure("the path is empty") }
    if path.hasSuffix("/") || isDirectory(path) == true { throw Failure("the path is a directory") }
    let directory = self.directory(of: path)
    switch isDirectory(directory) {
    case nil: throw Failure("directory '\(directory)' does not exist")
    case false?: throw Failure("'\(directory)' is not a directory")
    case true?: break
    }
    if access(directory, W_OK) != 0 { throw Failure("directory '\(directory)' is not writable (\(errnoText()))") }
  }

  /// Writes `bytes` to `path` atomically (see the type's description).
  /// - Throws: ``Failure`` naming the step that failed; for a destination
  ///   that cannot be written, the same failure as ``checkDestination(_:)``.
  public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(Failure) {
    try checkDestination(path)
    let directory = self.directory(of: path)
    // Same directory, so rename(2) stays on one filesystem and is atomic.
    // O_EXCL with a random hidden name instead of mkstemp: mkstemp forces
    // mode 0600, open(…, 0666) gives the usual umask-based permissions.
    let name = path.split(separator: "/").last.map(String.init) ?? path
    var temporary = ""
    var fd: Int32 = -1
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<16 {
      temporary = directory + "/." + name + ".tmp-" + String(generator.next() as UInt64, radix: 36)
      fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else { throw Failure("cannot create a temporary file in '\(directory)' (\(errnoText()))") }

    var failure: Failure?
    var offset = 0
    while offset < bytes.count {
      let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        failure = Failure("write failed (\(errnoText()))")
        break
      }
      offset += n
    }
    if failure == nil && fsync(fd) != 0 { failure = Failure("fsync failed (\(errnoText()))") }
    if close(fd) != 0 && failure == nil { failure = Failure("close failed (\(errnoText()))") }
    if failure == nil && rename(temporary, path) != 0 { failure = Failure("rename failed (\(errnoText()))") }
    if let failure {
      unlink(temporary)
      throw failure
    }
    removeStaleTemporaries(of: name, in: directory)
  }

  /// Best effort: removes `.NAME.tmp-XXXX` regular files in `directory`
  /// older than ``staleTemporaryAge`` (see the type's description). Errors
  /// are ignored: the write itself has succeeded.
  /// - Complexity: one pass over the directory's entries, one `lstat` per
  ///   entry that matches the pattern.
  static func removeStaleTemporaries(of name: String, in directory: String) {
    guard let stream = opendir(directory) else { return }
    defer { closedir(stream) }
    let prefix = "." + name + ".tmp-"
    let cutoff = Double(time(nil)) - staleTemporaryAge
    while let entry = readdir(stream) {
      let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard isTemporary(entryName, prefix: prefix) else { continue }
      let path = directory + "/" + entryName
      var info = stat()
      guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, modificationTime(info) < cutoff else { continue }
      unlink(path)
    }
  }

  /// Whether `entry` is `prefix` followed by 1–13 lower-case base-36 digits:
  /// the names ``write(_:to:)`` gives its temporary files.
  static func isTemporary(_ entry: String, prefix: String) -> Bool {
    guard entry.hasPrefix(prefix) else { return false }
    let suffix = entry.utf8.dropFirst(prefix.utf8.count)
    return (1...13).contains(suffix.count)
      && suffix.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
  }

  static func modificationTime(_ info: stat) -> Double {
    #if canImport(Darwin)
    return Double(info.st_mtimespec.tv_sec)
    #else
    return Double(info.st_mtim.tv_sec)
    #endif
  }

  /// Writes `bytes` to `path` atomically.
  public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
    var result: Result<Void, Failure> = .success(())
    bytes.withUnsafeBytes { buffer in
      do throws(Failure) { try write(buffer, to: path) } catch { result = .failure(error) }
    }
    try result.get()
  }

  /// The directory part of `path` ("." for a bare file name).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let d = String(path[..<slash])
    return d.isEmpty ? "/" : d
  }

  /// true for a directory, false for anything else, nil when nothing is there.
  static func isDirectory(_ path: String) -> Bool? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return (info.st_mode & S_IFMT) == S_IFDIR
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// write(2); the static `AtomicFile.write` methods shadow the name inside the type.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
