/// One 8-bit RGB pixel, in the sRGB encoding as stored in the file.
public struct RGBPixel: Sendable, Hashable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  @inlinable
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// A grey pixel (all three channels equal to `value`).
  @inlinable
  public init(grey value: UInt8) { self.init(red: value, green: value, blue: value) }
}

/// An 8-bit RGB image: `width × height` pixels stored row by row, top row
/// first, with the three channels of each pixel interleaved (R, G, B).
///
/// Values are the 8-bit sRGB-encoded numbers from the file; nothing is
/// linearised. Alpha is never stored: readers composite transparent pixels
/// over white (see ``RGBImage/init(contentsOfFile:acceptJPEGWarnings:)``).
///
/// Memory: `3 · width · height` bytes (36 MB for a 12-megapixel photo).
/// `RGBImage` is a value type with copy-on-write storage.
public struct RGBImage: Sendable, Equatable {
  /// Number of columns.
  public let width: Int
  /// Number of rows.
  public let height: Int
  /// Interleaved RGB bytes, row-major: the red value of pixel (x, y) is
  /// `pixels[3 * (y * width + x)]`; always `3 * width * height` of them.
  /// Change pixels through the subscript, ``setPixels(rows:from:)`` or
  /// ``mapRowBlocks(rows:as:_:)``.
  @inlinable public var pixels: [UInt8] { storage }

  /// The bytes behind `pixels` (settable only inside the module, so the
  /// count invariant holds; visible to the inlinable pixel subscript).
  @usableFromInline internal var storage: [UInt8]

  /// Creates an image from interleaved RGB bytes.
  /// - Precondition: `width > 0`, `height > 0` and `pixels.count == 3 * width * height`.
  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(width > 0 && height > 0, "An image needs positive dimensions, got \(width)×\(height)")
    let (n, overflow) = width.multipliedReportingOverflow(by: height)
    precondition(!overflow && n <= Int.max / 3, "Image \(width)×\(height) is too large")
    precondition(
      pixels.count == 3 * n,
      "An RGB image of \(width)×\(height) needs \(3 * n) bytes, got \(pixels.count)")
    self.width = width
    self.height = height
    self.storage = pixels
  }

  /// Creates an image with every pixel equal to `pixel`.
  /// - Precondition: `width > 0` and `height > 0`.
  public init(width: Int, height: Int, repeating pixel: RGBPixel) {
    precondition(width > 0 && height > 0, "An image needs positive dimensions, got \(width)×\(height)")
    var bytes = [UInt8](repeating: 0, count: 3 * width * height)
    for i in stride(from: 0, to: bytes.count, by: 3) {
      bytes[i] = pixel.red
      bytes[i + 1] = pixel.green
      bytes[i + 2] = pixel.blue
    }
    self.init(width: width, height: height, pixels: bytes)
  }

  /// Number of pixels, `width * height`.
  @inlinable public var pixelCount: Int { width * height }

  /// The pixel in column `x`, row `y` (row 0 is the top row).
  /// - Precondition: `0 <= x < width` and `0 <= y < height`.
  @inlinable
  public subscript(x: Int, y: Int) -> RGBPixel {
    get {
      precondition(x >= 0 && x < width && y >= 0 && y < height, "Pixel (\(x), \(y)) outside \(width)×\(height)")
      let i = 3 * (y * width + x)
      return RGBPixel(red: storage[i], green: storage[i + 1], blue: storage[i + 2])
    }
    set {
      precondition(x >= 0 && x < width && y >= 0 && y < height, "Pixel (\(x), \(y)) outside \(width)×\(height)")
      let i = 3 * (y * width + x)
      storage[i] = newValue.red
      storage[i + 1] = newValue.green
      storage[i + 2] = newValue.blue
    }
  }
}

extension RGBImage: CustomStringConvertible {
  public var description: String { "RGBImage \(width)×\(height)" }
}
