// All libpng calls. Only the simplified API (png_image_*) is used: it reports
// failures through its return value and png_image.message instead of
// longjmp-ing out of the caller, which Swift frames cannot survive.
import CPNG

enum PNGCodec {
  /// libpng's message (a NUL-terminated char[64] inside png_image).
  private static func message(of image: inout png_image) -> String {
    let text = withUnsafeBytes(of: &image.message) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    return text.isEmpty ? "libpng reported an error without a message" : "libpng: \(text)"
  }

  /// Decodes a PNG held in memory. `name` labels errors.
  static func decode(_ bytes: UnsafeRawBufferPointer, name: String) throws(ImageError) -> RGBImage {
    var image = png_image()  // zero-filled, as libpng requires (opaque == NULL)
    image.version = UInt32(PNG_IMAGE_VERSION)
    defer { png_image_free(&image) }  // no-op once finish_read has cleaned up
    guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
      throw .corrupt(path: name, format: .png, reason: message(of: &image))
    }
    let width = Int(image.width), height = Int(image.height)
    guard width * height <= RGBImage.maximumPixelCount else {
      throw .tooLarge(path: name, width: width, height: height)
    }
    // tRNS transparency also sets the alpha flag here.
    let hasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
    let channels = hasAlpha ? 4 : 3
    // libpng converts grey, palette and 16-bit data to 8-bit sRGB for us.
    // 16-bit files without gAMA/sRGB chunks are taken as sRGB-encoded (as
    // almost every tool writes them), not as linear (libpng's default).
    // PNG_FORMAT_RGBA is a compound macro that Swift does not import.
    image.format = UInt32(PNG_FORMAT_FLAG_COLOR) | (hasAlpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
    image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)

    var failed = false
    var buffer = [UInt8](unsafeUninitializedCapacity: channels * width * height) { out, count in
      // Warnings (e.g. about an odd ICC profile) do not make this return 0;
      // they are ignored on purpose because the pixels are still right.
      failed = png_image_finish_read(&image, nil, out.baseAddress, 0, nil) == 0
      count = out.count  // contents are discarded below when `failed`
    }
    if failed { throw .corrupt(path: name, format: .png, reason: message(of: &image)) }
    if hasAlpha { buffer = compositeOverWhite(rgba: buffer) }
    return RGBImage(width: width, height: height, pixels: buffer)
  }

  /// RGBA (straight, not premultiplied, alpha) → RGB composited over white:
  /// c' = round((c·a + 255·(255 − a)) / 255), in integer arithmetic on the
  /// 8-bit sRGB-encoded values (the way most viewers show it on a white page).
  static func compositeOverWhite(rgba: [UInt8]) -> [UInt8] {
    let n = rgba.count / 4
    return [UInt8](unsafeUninitializedCapacity: 3 * n) { out, count in
      rgba.withUnsafeBufferPointer { src in
        for p in 0..<n {
          let a = UInt32(src[4 * p + 3])
          let background = 255 * (255 - a) + 127  // +127: round to nearest
          for c in 0..<3 {
            out[3 * p + c] = UInt8((UInt32(src[4 * p + c]) * a + background) / 255)
          }
        }
      }
      count = 3 * n
    }
  }

  /// Encodes an image as an 8-bit RGB PNG (default zlib level, no metadata
  /// beyond the sRGB chunk libpng writes).
  static func encode(_ picture: RGBImage, name: String) throws(ImageError) -> [UInt8] {
    guard picture.width <= Int(Int32.max) / 3, picture.height <= Int(UInt32.max) else {
      throw .encodingFailed(path: name, format: .png, reason: "image too large for PNG")
    }
    // Deflate never expands by more than ~0.03 % plus headers; this guess
    // almost always suffices, and libpng tells us the exact size if not.
    var capacity = picture.pixels.count + picture.height + picture.pixels.count / 256 + 4096
    for _ in 0..<2 {
      var image = png_image()
      image.version = UInt32(PNG_IMAGE_VERSION)
      image.width = UInt32(picture.width)
      image.height = UInt32(picture.height)
      image.format = UInt32(PNG_FORMAT_RGB)
      var size = capacity
      var ok = false
      let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
        ok = picture.pixels.withUnsafeBytes { src in
          png_image_write_to_memory(&image, out.baseAddress, &size, 0, src.baseAddress, 0, nil) != 0
        }
        count = ok ? size : 0
      }
      if ok { return output }
      defer { png_image_free(&image) }
      if size <= capacity {  // unchanged size: a real error, not a small buffer
        throw .encodingFailed(path: name, format: .png, reason: message(of: &image))
      }
      capacity = size
    }
    throw .encodingFailed(path: name, format: .png, reason: "libpng kept asking for a larger buffer")
  }
}
