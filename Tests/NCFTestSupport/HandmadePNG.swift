// Shared by the image tests and the CLI tests (which need PNG inputs that no
// shipped photograph provides, such as a single-colour image).

// MARK: - A minimal PNG writer, independent of libpng

/// PNG colour types (PNG specification, table 11.1).
public enum PNGColorType: UInt8 {
  case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6
}

/// Builds a PNG file from raw scanlines (without filter bytes), using
/// filter 0 and uncompressed ("stored") deflate blocks. It is written from
/// the PNG and zlib specifications so tests can make grey, grey+alpha,
/// RGBA, palette and 16-bit files without going through the code under test.
public func handmadePNG(
  width: Int, height: Int, colorType: PNGColorType, bitDepth: UInt8 = 8, scanlines: [[UInt8]],
  palette: [UInt8]? = nil, transparency: [UInt8]? = nil
) -> [UInt8] {
  precondition(scanlines.count == height)
  func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
  func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return be32(UInt32(data.count)) + body + be32(crc32(body))
  }
  var raw = [UInt8]()
  for line in scanlines { raw.append(0); raw.append(contentsOf: line) }  // filter type 0 (None)

  var zlib: [UInt8] = [0x78, 0x01]  // deflate, 32 K window, no dictionary, fastest
  var offset = 0
  repeat {
    let n = min(65_535, raw.count - offset)
    let final: UInt8 = offset + n == raw.count ? 1 : 0
    zlib += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
    zlib += raw[offset..<(offset + n)]
    offset += n
  } while offset < raw.count
  zlib += be32(adler32(raw))

  var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  png += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [bitDepth, colorType.rawValue, 0, 0, 0])
  if let palette { png += chunk("PLTE", palette) }
  if let transparency { png += chunk("tRNS", transparency) }
  png += chunk("IDAT", zlib)
  png += chunk("IEND", [])
  return png
}

public func crc32(_ bytes: [UInt8]) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for b in bytes {
    crc ^= UInt32(b)
    for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return ~crc
}

public func adler32(_ bytes: [UInt8]) -> UInt32 {
  var a: UInt32 = 1, b: UInt32 = 0
  for x in bytes {
    a = (a + UInt32(x)) % 65_521
    b = (b + a) % 65_521
  }
  return (b << 16) | a
}
