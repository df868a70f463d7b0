import NCFImages

extension RGBImage {
  /// The images side by side, left to right, on a white background: each is
  /// shrunk (never enlarged) to a common height — the smallest of the
  /// images' heights and `height` — keeping its aspect ratio, with `gap`
  /// white columns between neighbours. For figures such as
  /// content | style | result | reverse result.
  /// - Precondition: at least one image; `gap ≥ 0`; `height ≥ 1` when given.
  public static func sideBySide(_ images: [RGBImage], height: Int? = nil, gap: Int = 4) -> RGBImage {
    precondition(!images.isEmpty, "sideBySide needs at least one image")
    precondition(gap >= 0 && (height ?? 1) >= 1, "gap must be ≥ 0 and height ≥ 1")
    let h = min(height ?? Int.max, images.map(\.height).min()!)
    let scaled = images.map { image -> RGBImage in
      guard image.height != h else { return image }
      let w = max(1, min(image.width, Int((Double(image.width) * Double(h) / Double(image.height)).rounded())))
      return image.downscaled(toWidth: w, height: h)
    }
    let width = scaled.reduce(0) { $0 + $1.width } + gap * (scaled.count - 1)
    var bytes = [UInt8](repeating: 255, count: 3 * width * h)
    var left = 0
    for image in scaled {
      image.pixels.withUnsafeBufferPointer { src in
        for y in 0..<h {
          let from = 3 * y * image.width, to = 3 * (y * width + left)
          for k in 0..<(3 * image.width) { bytes[to + k] = src[from + k] }
        }
      }
      left += image.width + gap
    }
    return RGBImage(width: width, height: h, pixels: bytes)
  }
}
