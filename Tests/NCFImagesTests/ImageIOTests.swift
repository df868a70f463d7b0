import Foundation
import NCFImages
import NCFTestSupport
import Testing

@Suite struct ImageIOTests {
  // MARK: - Round trips

  @Test func pngRoundTripIsExact() throws {
    let image = noiseImage(width: 97, height: 61, seed: 1)
    #expect(try RGBImage(decoding: image.pngData()) == image)
    try withTemporaryDirectory { dir in
      for name in ["noise.png", "NOISE.PNG"] {
        let path = dir + "/" + name
        try image.write(toFile: path)
        #expect(try RGBImage(contentsOfFile: path) == image)
      }
    }
  }

  @Test func jpegRoundTripOfAPhotoIsWithinTolerance() throws {
    let photo = try RGBImage(contentsOfFile: shippedImagePath("coffee.png"))
    try withTemporaryDirectory { dir in
      for (quality, minimum) in [(95, 35.0), (75, 30.0)] {
        let path = dir + "/coffee-q\(quality).jpg"
        try photo.write(toFile: path, jpegQuality: quality)
        let back = try RGBImage(contentsOfFile: path)
        #expect(back.width == photo.width && back.height == photo.height)
        let db = psnr(photo, back)
        print("JPEG round trip of coffee.png (\(photo.width)×\(photo.height)) at quality \(quality): PSNR \(db) dB")
        #expect(db > minimum)
      }
    }
  }

  @Test func jpegRoundTripOfASmoothImage() throws {
    var image = RGBImage(width: 64, height: 48, repeating: RGBPixel(grey: 0))
    for y in 0..<48 {
      for x in 0..<64 { image[x, y] = RGBPixel(red: UInt8(4 * x), green: UInt8(5 * y), blue: UInt8(128 + x - y)) }
    }
    let back = try RGBImage(decoding: image.jpegData(quality: 95))
    #expect(psnr(image, back) > 40)
  }

  @Test func jpegExtensionVariantsWriteJPEG() throws {
    let image = noiseImage(width: 16, height: 8, seed: 2)
    try withTemporaryDirectory { dir in
      for name in ["a.jpg", "b.jpeg", "c.JPG", "d.Jpeg"] {
        let path = dir + "/" + name
        try image.write(toFile: path)
        #expect(ImageFormat.detect(try readBytes(path)) == .jpeg)
      }
      try image.write(toFile: dir + "/e.png")
      #expect(ImageFormat.detect(try readBytes(dir + "/e.png")) == .png)
    }
  }

  @Test func formatIsDetectedFromContentNotExtension() throws {
    let image = noiseImage(width: 10, height: 10, seed: 3)
    try withTemporaryDirectory { dir in
      try writeBytes(try image.pngData(), to: dir + "/really-a-png.jpg")
      #expect(try RGBImage(contentsOfFile: dir + "/really-a-png.jpg") == image)
      try writeBytes(try image.jpegData(), to: dir + "/no-extension")
      #expect(try RGBImage(contentsOfFile: dir + "/no-extension").width == 10)
    }
  }

  @Test func writingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
    try withTemporaryDirectory { dir in
      let path = dir + "/out.png"
      try noiseImage(width: 5, height: 5, seed: 4).write(toFile: path)
      let second = noiseImage(width: 7, height: 3, seed: 5)
      try second.write(toFile: path)
      #expect(try RGBImage(contentsOfFile: path) == second)
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.png"])
    }
  }

  // MARK: - Shipped photographs

  @Test(arguments: [
    ("astronaut.png", 256, 256), ("chelsea.png", 256, 170), ("coffee.png", 256, 171),
    ("rocket.jpg", 256, 171), ("hubble_deep_field.jpg", 256, 223), ("retina.jpg", 256, 256),
  ])
  func shippedPhotoReads(name: String, width: Int, height: Int) throws {
    let path = shippedImagePath(name)
    let image = try RGBImage(contentsOfFile: path)
    #expect(image.width == width && image.height == height)
    #expect(ImageFormat.detect(try readBytes(path)) == (name.hasSuffix(".png") ? .png : .jpeg))
    // A real photo: many distinct colours, not one flat value.
    var colours = Set<RGBPixel>()
    for y in 0..<height { for x in 0..<width { colours.insert(image[x, y]) } }
    #expect(colours.count > 1_000)
  }

  // MARK: - Conversions to RGB

  @Test func greyPNGIsReplicated() throws {
    let png = handmadePNG(width: 3, height: 2, colorType: .grey, scanlines: [[0, 128, 255], [7, 64, 200]])
    let image = try RGBImage(decoding: png)
    #expect(image.width == 3 && image.height == 2)
    #expect(image.pixels == [0, 128, 255, 7, 64, 200].flatMap { [$0, $0, $0] })
  }

  @Test func sixteenBitGreyPNGIsScaledNotGammaCorrected() throws {
    // 16-bit with no gAMA chunk is taken as sRGB-encoded: v16 / 257.
    let png = handmadePNG(
      width: 3, height: 1, colorType: .grey, bitDepth: 16, scanlines: [[0x00, 0x00, 0x80, 0x80, 0xFF, 0xFF]])
    #expect(try RGBImage(decoding: png).pixels == [0, 0, 0, 128, 128, 128, 255, 255, 255])
  }

  @Test func rgbaPNGIsCompositedOverWhite() throws {
    let rgba: [[UInt8]] = [[10, 20, 30, 255], [10, 20, 30, 0], [200, 100, 50, 51], [0, 0, 0, 128]]
    let png = handmadePNG(width: 4, height: 1, colorType: .rgba, scanlines: [rgba.flatMap { $0 }])
    let image = try RGBImage(decoding: png)
    #expect(image[0, 0] == RGBPixel(red: 10, green: 20, blue: 30))  // opaque: unchanged
    #expect(image[1, 0] == RGBPixel(grey: 255))  // transparent: white
    #expect(image[2, 0] == RGBPixel(red: 244, green: 224, blue: 214))  // (c·51 + 255·204 + 127) / 255
    #expect(image[3, 0] == RGBPixel(grey: 127))  // half-transparent black
    for (x, p) in rgba.enumerated() {
      #expect(image[x, 0] == RGBPixel(red: overWhite(p[0], alpha: p[3]), green: overWhite(p[1], alpha: p[3]),
        blue: overWhite(p[2], alpha: p[3])))
    }
  }

  @Test func greyAlphaPNGIsCompositedOverWhite() throws {
    let png = handmadePNG(width: 3, height: 1, colorType: .greyAlpha, scanlines: [[100, 255, 200, 0, 0, 128]])
    #expect(try RGBImage(decoding: png).pixels == [100, 100, 100, 255, 255, 255, 127, 127, 127])
  }

  @Test func palettePNGWithTransparencyIsExpanded() throws {
    let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255]
    let png = handmadePNG(
      width: 3, height: 1, colorType: .palette, scanlines: [[0, 1, 2]], palette: palette, transparency: [255, 0])
    // Entry 1 is fully transparent; entry 2 has no tRNS value, so it is opaque.
    #expect(try RGBImage(decoding: png).pixels == [255, 0, 0, 255, 255, 255, 0, 0, 255])
  }

  @Test func handmadeRGBPNGAgreesWithOurWriter() throws {
    // Cross-check of the test's PNG builder against libpng, both ways.
    let image = noiseImage(width: 9, height: 4, seed: 6)
    let rows = (0..<4).map { Array(image.pixels[(27 * $0)..<(27 * $0 + 27)]) }
    #expect(try RGBImage(decoding: handmadePNG(width: 9, height: 4, colorType: .rgb, scanlines: rows)) == image)
  }
}
