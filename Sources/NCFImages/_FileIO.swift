// Whole-file reads and atomic writes with POSIX calls, so that each failure
// maps to a precise ImageError (missing file, directory, permissions).
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import NCFFileSystem

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

  /// Writes `bytes` to `path` atomically (``AtomicFile``): on any failure
  /// `path` is left untouched and no temporary file remains.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    do throws(AtomicFile.Failure) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw .unwritable(path: path, reason: error.reason)
    }
  }
}
