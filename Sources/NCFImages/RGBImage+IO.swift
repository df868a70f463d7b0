import Foundation
import NCFFileSystem

// MARK: - Reading

extension RGBImage {
  /// The largest image the readers accept: 2²⁸ pixels (268 megapixels,
  /// about 1 GB of RGBA while decoding). Guards against corrupt headers
  /// that declare absurd sizes.
  public static let maximumPixelCount = 1 << 28

  /// Reads a PNG or JPEG file.
  ///
  /// The format is chosen from the file's first bytes, not its name.
  /// Conversions to 8-bit sRGB RGB:
  /// - greyscale (any bit depth) is replicated into three equal channels;
  /// - palette images are expanded;
  /// - 16-bit PNG channels are reduced to 8 bits (files without gAMA/sRGB
  ///   information are taken as sRGB-encoded, not linear);
  /// - **alpha** (an alpha channel or a tRNS chunk) is removed by
  ///   compositing over white: `c' = round((c·a + 255·(255 − a)) / 255)` on
  ///   the encoded 8-bit values, so a fully transparent pixel becomes
  ///   (255, 255, 255) and an opaque one keeps its colour;
  /// - a PNG gAMA chunk other than sRGB's is honoured (libpng re-encodes
  ///   to the sRGB curve); ICC profiles are ignored (values taken as sRGB);
  /// - 12-bit and CMYK JPEGs are not supported (errors).
  ///
  /// - Parameters:
  ///   - path: the file to read.
  ///   - acceptJPEGWarnings: TurboJPEG reports some damage only as a
  ///     warning, notably a truncated file ("Premature end of JPEG file"),
  ///     whose missing rows it fills with grey. By default such a warning is
  ///     an ``ImageError/corrupt(path:format:reason:)`` error; pass `true` to
  ///     accept the partially decoded image instead. libpng warnings never
  ///     fail a read (they concern metadata, not pixels).
  /// - Throws: ``ImageError`` — `fileNotFound`, `isDirectory`, `unreadable`,
  ///   `unsupportedFormat` (including empty files and CMYK JPEGs), `corrupt`,
  ///   `tooLarge`.
  /// - Complexity: O(pixels); peak memory is the file size plus 4 bytes a
  ///   pixel (RGBA) for PNGs with alpha, 3 bytes a pixel otherwise.
  public init(contentsOfFile path: String, acceptJPEGWarnings: Bool = false) throws(ImageError) {
    let data: Data
    do throws(FileRead.Failure) {
      data = try FileRead.contents(of: path)
    } catch {
      switch error {
      case .notFound: throw .fileNotFound(path: path)
      case .isDirectory: throw .isDirectory(path: path)
      case .unreadable(let reason): throw .unreadable(path: path, reason: reason)
      }
    }
    try self.init(decoding: [UInt8](data), name: path, acceptJPEGWarnings: acceptJPEGWarnings)
  }

  /// Decodes a PNG or JPEG file already in memory; same conversions and
  /// errors as ``init(contentsOfFile:acceptJPEGWarnings:)``.
  /// - Parameter name: how errors refer to these bytes.
  public init(decoding bytes: [UInt8], name: String = "<memory>", acceptJPEGWarnings: Bool = false)
    throws(ImageError)
  {
    guard let format = ImageFormat.detect(bytes) else {
      throw .unsupportedFormat(path: name, detail: ImageFormat.describeUnsupported(bytes))
    }
    // Array.withUnsafeBytes does not forward typed throws, hence the Result.
    let decoded = bytes.withUnsafeBytes { raw in
      Result { () throws(ImageError) -> RGBImage in
        switch format {
        case .png: return try PNGCodec.decode(raw, name: name)
        case .jpeg: return try JPEGCodec.decode(raw, name: name, acceptWarnings: acceptJPEGWarnings)
        }
      }
    }
    self = try decoded.get()
  }
}

// MARK: - Writing

extension RGBImage {
  /// Writes the image to `path`, as PNG for a `.png` extension and as JPEG
  /// for `.jpg`/`.jpeg` (case-insensitive).
  ///
  /// The write is atomic: the data go to a temporary file in the same
  /// directory, which is flushed and then renamed over `path`. After a
  /// failure `path` is unchanged and no temporary file is left behind.
  /// The new file gets the usual permissions (0666 minus the umask).
  ///
  /// - Parameter jpegQuality: JPEG quality, 1...100 (ignored for PNG).
  ///   JPEGs are written with 4:4:4 chroma (no subsampling).
  /// - Precondition: `1 <= jpegQuality <= 100`.
  /// - Throws: ``ImageError/unsupportedOutputExtension(path:)`` for any other
  ///   extension (checked before anything is written),
  ///   ``ImageError/unwritable(path:reason:)`` when the file cannot be
  ///   created or replaced, ``ImageError/encodingFailed(path:format:reason:)``.
  public func write(toFile path: String, jpegQuality: Int = 95) throws(ImageError) {
    precondition((1...100).contains(jpegQuality), "JPEG quality must be in 1...100, got \(jpegQuality)")
    guard let format = ImageFormat(pathExtensionOf: path) else { throw .unsupportedOutputExtension(path: path) }
    let bytes: [UInt8]
    switch format {
    case .png: bytes = try PNGCodec.encode(self, name: path)
    case .jpeg: bytes = try JPEGCodec.encode(self, quality: jpegQuality, name: path)
    }
    do throws(AtomicFile.Failure) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw .unwritable(path: path, reason: error.reason)
    }
  }

  /// The image encoded as an 8-bit RGB PNG (lossless).
  /// - Complexity: O(pixels), but zlib makes PNG the slow format: seconds
  ///   for a 12-megapixel photo, against a fraction of a second for JPEG.
  public func pngData() throws(ImageError) -> [UInt8] {
    try PNGCodec.encode(self, name: "<memory>")
  }

  /// The image encoded as a baseline JPEG with 4:4:4 chroma.
  /// - Precondition: `1 <= quality <= 100`.
  public func jpegData(quality: Int = 95) throws(ImageError) -> [UInt8] {
    try JPEGCodec.encode(self, quality: quality, name: "<memory>")
  }
}
