import CZlib
import Foundation

/// gzip streams through zlib: decode (also accepts a zlib stream) and encode.
public enum Gzip {
  /// Whether `bytes` start with the gzip magic number 1f 8b.
  public static func isGzip<C: Collection<UInt8>>(_ bytes: C) -> Bool {
    var it = bytes.makeIterator()
    return it.next() == 0x1f && it.next() == 0x8b
  }

  /// Why a stream could not be coded (zlib's message when it gives one).
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }

  /// The decompressed contents of a gzip (or zlib) stream; concatenated gzip
  /// members are decoded one after another, as gunzip does.
  /// - Parameter limit: refuse output beyond this many bytes (a guard
  ///   against decompression bombs; the default, 1 GiB, is far above any IDX
  ///   file this package reads).
  /// - Throws: ``Failure`` for a corrupt or truncated stream.
  public static func decompress(_ data: Data, limit: Int = 1 << 30) throws(Failure) -> [UInt8] {
    var output: [UInt8] = []
    // The gzip trailer's ISIZE (size mod 2³²) is a good first guess for the
    // buffer; deflate cannot expand more than 1032-fold, which bounds a damaged one.
    if data.count >= 18 {
      let n = data.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
      output.reserveCapacity(min(n, limit, 1032 * data.count))
    }
    var stream = z_stream()
    // 15 + 32: the largest window, with gzip/zlib header detection.
    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw Failure(message: "zlib could not start inflating")
    }
    defer { inflateEnd(&stream) }
    guard data.count <= Int(UInt32.max) else { throw Failure(message: "compressed data beyond 4 GiB") }
    let chunk = 1 << 16
    var buffer = [UInt8](repeating: 0, count: chunk)
    var failure: Failure?
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      let base = raw.bindMemory(to: UInt8.self)
      guard let start = base.baseAddress else { failure = Failure(message: "no compressed data"); return }
      stream.next_in = UnsafeMutablePointer(mutating: start)
      stream.avail_in = UInt32(base.count)
      while true {
        let status = buffer.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress
          stream.avail_out = UInt32(chunk)
          return inflate(&stream, Z_NO_FLUSH)
        }
        let produced = chunk - Int(stream.avail_out)
        guard output.count + produced <= limit else {
          failure = Failure(message: "decompressed data exceed \(limit) bytes"); return
        }
        output.append(contentsOf: buffer[0..<produced])
        switch status {
        case Z_STREAM_END:
          // Another gzip member may follow; trailing zeros are ignored, as gunzip does.
          let rest = base.count - Int(stream.avail_in)
          if base[rest...].allSatisfy({ $0 == 0 }) { return }
          inflateReset(&stream)
        case Z_OK:
          continue
        case Z_BUF_ERROR where stream.avail_in == 0:
          failure = Failure(message: "compressed data end early (truncated file)"); return
        default:
          let why = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
          failure = Failure(message: "corrupt compressed data (\(why))"); return
        }
      }
    }
    if let failure { throw failure }
    return output
  }

  /// `bytes` as one gzip member (default compression level, no file name or time stamp).
  public static func compress(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    // 15 + 16: the largest window with a gzip wrapper; memory level 8 is zlib's default.
    let started = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(started == Z_OK, "zlib could not start deflating")
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))))
    var input = bytes
    let status = input.withUnsafeMutableBufferPointer { inp in
      output.withUnsafeMutableBufferPointer { out in
        stream.next_in = inp.baseAddress
        stream.avail_in = UInt32(inp.count)
        stream.next_out = out.baseAddress
        stream.avail_out = UInt32(out.count)
        return deflate(&stream, Z_FINISH)
      }
    }
    precondition(status == Z_STREAM_END, "deflate into a deflateBound buffer must finish in one call")
    output.removeLast(Int(stream.avail_out))
    return output
  }
}
