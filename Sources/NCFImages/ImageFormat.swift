/// The file formats NCFImages reads and writes.
public enum ImageFormat: String, Sendable, CaseIterable {
  /// PNG, lossless (read through libpng's simplified API).
  case png = "PNG"
  /// JPEG/JFIF, lossy (read and written through TurboJPEG).
  case jpeg = "JPEG"

  /// The format whose signature starts `bytes`, or nil for anything else.
  ///
  /// Readers use this rather than the file name, so a PNG saved as `.jpg`
  /// still reads correctly.
  public static func detect(_ bytes: some Collection<UInt8>) -> ImageFormat? {
    let head = Array(bytes.prefix(8))
    if head == pngSignature { return .png }
    // SOI marker followed by the first marker's 0xFF.
    if head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF { return .jpeg }
    return nil
  }

  /// The writer format chosen by a path's extension (`.png`, `.jpg`,
  /// `.jpeg`, case-insensitive), or nil for any other extension.
  public init?(pathExtensionOf path: String) {
    switch Self.pathExtension(of: path).lowercased() {
    case "png": self = .png
    case "jpg", "jpeg": self = .jpeg
    default: return nil
    }
  }

  /// The eight-byte PNG signature.
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The text after the last "." of the last path component ("" if none).
  static func pathExtension(of path: String) -> String {
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return String(name[name.index(after: dot)...])
  }

  /// A short name for a format we recognise but do not support, so errors
  /// can say "GIF" instead of "unknown". Used only for error messages.
  static func describeUnsupported(_ bytes: some Collection<UInt8>) -> String {
    let head = Array(bytes.prefix(12))
    func starts(_ s: String) -> Bool { head.starts(with: Array(s.utf8)) }
    if head.isEmpty { return "empty file" }
    if starts("GIF87a") || starts("GIF89a") { return "GIF image" }
    if starts("II*\u{0}") || starts("MM\u{0}*") { return "TIFF image" }
    if starts("RIFF") && head.count >= 12 && Array(head[8..<12]) == Array("WEBP".utf8) { return "WebP image" }
    if head.count >= 12 && Array(head[4..<8]) == Array("ftyp".utf8) { return "HEIF/AVIF or other ISO-media file" }
    if starts("BM") { return "probably a BMP image" }
    let hex = head.prefix(8).map { b in
      let s = String(b, radix: 16, uppercase: true)
      return s.count == 1 ? "0" + s : s
    }
    return "unrecognised content (starts with \(hex.joined(separator: " ")))"
  }
}
