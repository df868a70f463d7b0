import NCFImages
import Testing

@Suite struct DownscaleTests {
  @Test(arguments: [
    (451, 300, 256, 256, 170), (600, 400, 256, 256, 171), (300, 451, 256, 170, 256),
    (1000, 872, 256, 256, 223), (512, 512, 256, 256, 256), (4000, 3000, 1024, 1024, 768),
    (1000, 1, 100, 100, 1),
  ])
  func maxSideDimensions(width: Int, height: Int, maxSide: Int, expectedWidth: Int, expectedHeight: Int) {
    let image = RGBImage(width: width, height: height, repeating: RGBPixel(red: 1, green: 2, blue: 3))
    for filter in [DownscaleFilter.box, .nearest] {
      let small = image.downscaled(maxSide: maxSide, filter: filter)
      #expect(small.width == expectedWidth && small.height == expectedHeight)
      // A flat image stays flat under either filter.
      let flat = RGBImage(width: expectedWidth, height: expectedHeight, repeating: RGBPixel(red: 1, green: 2, blue: 3))
      #expect(small == flat)
    }
  }

  @Test func imageThatFitsIsUnchanged() {
    let image = noiseImage(width: 30, height: 20, seed: 30)
    #expect(image.downscaled(maxSide: 30) == image)
    #expect(image.downscaled(maxSide: 1000, filter: .nearest) == image)
    #expect(image.downscaled(toWidth: 30, height: 20) == image)
  }

  @Test func boxHalvingAveragesTwoByTwoBlocks() {
    // 4×2 → 2×1: each output is the mean of a 2×2 block (chosen to be exact).
    var image = RGBImage(width: 4, height: 2, repeating: RGBPixel(grey: 0))
    let values: [[UInt8]] = [[10, 20, 100, 100], [30, 40, 0, 200]]
    for y in 0..<2 { for x in 0..<4 { image[x, y] = RGBPixel(red: values[y][x], green: 255 - values[y][x], blue: 7) } }
    let small = image.downscaled(toWidth: 2, height: 1)
    #expect(small[0, 0] == RGBPixel(red: 25, green: 230, blue: 7))
    #expect(small[1, 0] == RGBPixel(red: 100, green: 155, blue: 7))
  }

  @Test func boxWithFractionalCoverage() {
    // 3 → 2 columns: output 0 covers source 0 fully and half of source 1.
    var image = RGBImage(width: 3, height: 1, repeating: RGBPixel(grey: 0))
    image[0, 0] = RGBPixel(grey: 0)
    image[1, 0] = RGBPixel(grey: 90)
    image[2, 0] = RGBPixel(grey: 240)
    let small = image.downscaled(toWidth: 2, height: 1)
    #expect(small[0, 0] == RGBPixel(grey: 30))  // (0·1 + 90·½) / 1.5
    #expect(small[1, 0] == RGBPixel(grey: 190))  // (90·½ + 240·1) / 1.5
  }

  @Test func nearestPicksCentres() {
    // 6 → 3 columns: centres at 1, 3, 5 of the source.
    var image = RGBImage(width: 6, height: 1, repeating: RGBPixel(grey: 0))
    for x in 0..<6 { image[x, 0] = RGBPixel(grey: UInt8(10 * x)) }
    let small = image.downscaled(toWidth: 3, height: 1, filter: .nearest)
    #expect(small.pixels == [10, 10, 10, 30, 30, 30, 50, 50, 50])
  }

  @Test func downscaledPhotoKeepsItsMeanColour() throws {
    let photo = try RGBImage(contentsOfFile: shippedImagePath("astronaut.png"))
    let small = photo.downscaled(maxSide: 64)
    #expect(small.width == 64 && small.height == 64)
    // Box averaging over whole 4×4 blocks preserves the mean up to rounding.
    func mean(_ image: RGBImage, _ c: Int) -> Double {
      let total = stride(from: c, to: image.pixels.count, by: 3).reduce(0.0) { $0 + Double(image.pixels[$1]) }
      return total / Double(image.pixelCount)
    }
    for c in 0..<3 { #expect(abs(mean(photo, c) - mean(small, c)) < 0.5) }
  }
}
