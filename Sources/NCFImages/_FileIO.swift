// Whole-file reads and atomic writes with POSIX calls, so that each failure
// maps to a precise ImageError (missing file, directory, permissions).
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum FileIO {
  private static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// The whole content of the regular file at `path`.
  static func readAll(_ path: String) throws(ImageError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let e = errno
      switch e {
      case ENOENT: throw .fileNotFound(path: path)
      case EISDIR: throw .isDirectory(path: path)
      default: throw .unreadable(path: path, reason: errnoText(e))
      }
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: errnoText(errno)) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }

    // Read until EOF rather than trusting st_size (pipes, files that change).
    var bytes = [UInt8]()
    bytes.reserveCapacity(max(Int(info.st_size), 0) + 1)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: errnoText(errno))
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
  }

  /// Writes `bytes` to `path` atomically: into a new temporary file in the
  /// same directory, flushed to disk, then renamed over `path`. On any
  /// failure the temporary file is removed and `path` is left untouched.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else { throw .unwritable(path: path, reason: "the path names a directory") }

    // Same directory, so rename(2) stays on one filesystem and is atomic.
    // O_EXCL with a random suffix instead of mkstemp: mkstemp forces mode
    // 0600, while open(…, 0666) gives the usual umask-based permissions.
    var tempPath = ""
    var fd: Int32 = -1
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<16 {
      tempPath = "\(directory).\(name).\(String(generator.next() as UInt64, radix: 36)).tmp"
      fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      if fd >= 0 || errno != EEXIST { break }
    }
    if fd < 0 { throw .unwritable(path: path, reason: errnoText(errno)) }

    var failure: ImageError? = nil
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = .unwritable(path: path, reason: errnoText(errno))
          return
        }
        offset += n
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = .unwritable(path: path, reason: errnoText(errno)) }
    if close(fd) != 0 && failure == nil { failure = .unwritable(path: path, reason: errnoText(errno)) }
    if failure == nil && rename(tempPath, path) != 0 {
      failure = .unwritable(path: path, reason: errnoText(errno))
    }
    if let failure {
      unlink(tempPath)
      throw failure
    }
  }
}
