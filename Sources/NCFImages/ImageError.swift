import Foundation

/// Everything that can go wrong reading or writing an image.
///
/// Each case carries the file path (or the `name` given to an in-memory
/// decode) and its ``description`` is one line that names it, suitable for a
/// command-line error message.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Nothing exists at `path`.
  case fileNotFound(path: String)
  /// `path` is a directory.
  case isDirectory(path: String)
  /// The file exists but could not be read (permissions, I/O error).
  case unreadable(path: String, reason: String)
  /// The content is not PNG or JPEG (whatever the extension says), or is a
  /// CMYK JPEG. `detail` says what it looks like, e.g. "GIF image",
  /// "empty file" or "CMYK JPEG".
  case unsupportedFormat(path: String, detail: String)
  /// A PNG or JPEG signature, but the codec rejected the data: corrupt or
  /// truncated. `reason` is the codec's own message.
  case corrupt(path: String, format: ImageFormat, reason: String)
  /// The header declares more pixels than ``RGBImage/maximumPixelCount``.
  case tooLarge(path: String, width: Int, height: Int)
  /// Writing: the output extension is not `.png`, `.jpg` or `.jpeg`.
  case unsupportedOutputExtension(path: String)
  /// Writing: the file could not be created, written or renamed into place.
  case unwritable(path: String, reason: String)
  /// Writing: the encoder failed (for example a JPEG side over 65 535 pixels).
  case encodingFailed(path: String, format: ImageFormat, reason: String)

  /// The path (or in-memory name) the error is about.
  public var path: String {
    switch self {
    case .fileNotFound(let p), .isDirectory(let p), .unreadable(let p, _), .unsupportedFormat(let p, _),
      .corrupt(let p, _, _), .tooLarge(let p, _, _), .unsupportedOutputExtension(let p),
      .unwritable(let p, _), .encodingFailed(let p, _, _):
      return p
    }
  }

  public var description: String {
    switch self {
    case .fileNotFound(let p):
      return "image file not found: '\(p)'"
    case .isDirectory(let p):
      return "'\(p)' is a directory, not an image file"
    case .unreadable(let p, let reason):
      return "cannot read '\(p)': \(reason)"
    case .unsupportedFormat(let p, let detail):
      return "unsupported image format in '\(p)': \(detail) (readable: PNG, greyscale or colour JPEG)"
    case .corrupt(let p, let format, let reason):
      return "corrupt or truncated \(format.rawValue) file '\(p)': \(reason)"
    case .tooLarge(let p, let w, let h):
      return "'\(p)' is \(w)×\(h) pixels, over the limit of \(RGBImage.maximumPixelCount) pixels"
    case .unsupportedOutputExtension(let p):
      return "cannot choose an image writer for '\(p)': use a .png, .jpg or .jpeg extension"
    case .unwritable(let p, let reason):
      return "cannot write '\(p)': \(reason)"
    case .encodingFailed(let p, let format, let reason):
      return "\(format.rawValue) encoding of '\(p)' failed: \(reason)"
    }
  }
}

extension ImageError: LocalizedError {
  public var errorDescription: String? { description }
}
