import NCFTensor
import NCFImages

/// Small deterministic test images.
enum TestImages {
  /// A width×height image whose pixels are uniform random colours in the
  /// box [lo, hi]³ (8-bit values), from `seed`.
  static func uniform(width: Int, height: Int, lo: UInt8 = 0, hi: UInt8 = 255, seed: UInt64) -> RGBImage {
    var rng = SeededRandom(seed: seed)
    let span = Int(hi) - Int(lo) + 1
    let bytes = (0..<(3 * width * height)).map { _ in UInt8(Int(lo) + rng.integer(below: span)) }
    return RGBImage(width: width, height: height, pixels: bytes)
  }

  /// `image` with `shift` added to each channel's 8-bit values.
  /// - Precondition: no value leaves 0…255.
  static func shifted(_ image: RGBImage, by shift: (Int, Int, Int)) -> RGBImage {
    let s = [shift.0, shift.1, shift.2]
    let bytes = image.pixels.enumerated().map { k, v -> UInt8 in
      let w = Int(v) + s[k % 3]
      precondition((0...255).contains(w), "shift leaves the 8-bit range")
      return UInt8(w)
    }
    return RGBImage(width: image.width, height: image.height, pixels: bytes)
  }

  /// Two-tone image: the left half `a`, the right half `b`, plus seeded noise of ±`noise` levels.
  static func twoTone(width: Int, height: Int, _ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8),
                      noise: Int = 12, seed: UInt64) -> RGBImage {
    var rng = SeededRandom(seed: seed)
    var bytes: [UInt8] = []
    for _ in 0..<height {
      for x in 0..<width {
        let c = x < width / 2 ? a : b
        for v in [c.0, c.1, c.2] {
          let w = Int(v) + rng.integer(below: 2 * noise + 1) - noise
          bytes.append(UInt8(min(255, max(0, w))))
        }
      }
    }
    return RGBImage(width: width, height: height, pixels: bytes)
  }
}
