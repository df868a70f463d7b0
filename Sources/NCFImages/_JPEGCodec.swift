// All TurboJPEG calls. TurboJPEG catches libjpeg's longjmp internally and
// returns -1 plus a message, so Swift frames are never jumped over.
import CTurboJPEG

enum JPEGCodec {
  private static func message(_ handle: tjhandle?) -> String {
    guard let text = tjGetErrorStr2(handle) else { return "TurboJPEG reported an error without a message" }
    return String(cString: text)
  }

  /// Decodes a JPEG held in memory to RGB (greyscale JPEGs are replicated
  /// into three equal channels). `name` labels errors.
  ///
  /// Warnings: libjpeg "warnings" include "Premature end of JPEG file",
  /// after which the missing part of the image is filled with grey. Such an
  /// image must not silently become a colour-transfer source, so a warning is
  /// an error unless `acceptWarnings` is true; then the decoded pixels are
  /// returned as they are.
  static func decode(_ bytes: UnsafeRawBufferPointer, name: String, acceptWarnings: Bool) throws(ImageError)
    -> RGBImage
  {
    guard let handle = tjInitDecompress() else {
      throw .corrupt(path: name, format: .jpeg, reason: "TurboJPEG could not start: \(message(nil))")
    }
    defer { tjDestroy(handle) }
    let source = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let size = UInt(bytes.count)

    // A return of -1 is fatal unless tjGetErrorCode says it was only a warning.
    func check(_ status: Int32) throws(ImageError) {
      guard status != 0 else { return }
      let warning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
      if warning && acceptWarnings { return }
      throw .corrupt(
        path: name, format: .jpeg, reason: (warning ? "TurboJPEG warning: " : "TurboJPEG: ") + message(handle))
    }

    var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
    try check(tjDecompressHeader3(handle, source, size, &width, &height, &subsampling, &colorspace))
    guard width > 0, height > 0 else {
      throw .corrupt(
        path: name, format: .jpeg, reason: "no image frame found (only tables or garbage after the start marker)")
    }
    if colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue) {
      throw .unsupportedFormat(path: name, detail: "CMYK JPEG")
    }
    guard Int(width) * Int(height) <= RGBImage.maximumPixelCount else {
      throw .tooLarge(path: name, width: Int(width), height: Int(height))
    }

    let count = 3 * Int(width) * Int(height)
    var status: Int32 = 0
    let pixels = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
      // ACCURATEDCT: the exact integer IDCT, so results do not depend on
      // which SIMD path libjpeg-turbo picks. LIMITSCANS: refuse progressive
      // files with absurd scan counts (a known denial-of-service pattern).
      status = tjDecompress2(
        handle, source, size, out.baseAddress, width, 0, height, Int32(TJPF_RGB.rawValue),
        TJFLAG_ACCURATEDCT | TJFLAG_LIMITSCANS)
      initialized = count
    }
    try check(status)
    return RGBImage(width: Int(width), height: Int(height), pixels: pixels)
  }

  /// Encodes an image as a baseline JPEG with 4:4:4 chroma (no chroma
  /// subsampling, which would blur colour edges).
  /// - Precondition: `1 <= quality <= 100`.
  static func encode(_ picture: RGBImage, quality: Int, name: String) throws(ImageError) -> [UInt8] {
    precondition((1...100).contains(quality), "JPEG quality must be in 1...100, got \(quality)")
    guard picture.width <= 65_535, picture.height <= 65_535 else {
      throw .encodingFailed(
        path: name, format: .jpeg,
        reason: "JPEG allows at most 65535 pixels per side, image is \(picture.width)×\(picture.height)")
    }
    guard let handle = tjInitCompress() else {
      throw .encodingFailed(path: name, format: .jpeg, reason: "TurboJPEG could not start: \(message(nil))")
    }
    defer { tjDestroy(handle) }
    var output: UnsafeMutablePointer<UInt8>? = nil  // TurboJPEG allocates it
    var size: UInt = 0
    defer { if let output { tjFree(output) } }
    let status = picture.pixels.withUnsafeBufferPointer { src in
      tjCompress2(
        handle, src.baseAddress, Int32(picture.width), 0, Int32(picture.height), Int32(TJPF_RGB.rawValue),
        &output, &size, Int32(TJSAMP_444.rawValue), Int32(quality), TJFLAG_ACCURATEDCT)
    }
    guard status == 0, let output else {
      throw .encodingFailed(path: name, format: .jpeg, reason: "TurboJPEG: \(message(handle))")
    }
    return Array(UnsafeBufferPointer(start: output, count: Int(size)))
  }
}
