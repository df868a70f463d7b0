import NCFImages
import NCFTensor
import Testing

@Suite struct PixelTensorTests {
  /// An image containing every byte value in every channel.
  private func allValuesImage() -> RGBImage {
    // Pixel p has channels (p, p + 85, p + 170) mod 256.
    let bytes: [UInt8] = (0..<768).map { (i: Int) -> UInt8 in UInt8((i / 3 + 85 * (i % 3)) % 256) }
    return RGBImage(width: 16, height: 16, pixels: bytes)
  }

  @Test func tensorRoundTripIsIdentityInFloat() {
    let image = allValuesImage()
    for c in 0..<3 { #expect(Set(stride(from: c, to: 768, by: 3).map { image.pixels[$0] }).count == 256) }
    let t = image.pixelTensor(as: Float.self)
    #expect(t.rows == 256 && t.columns == 3)
    #expect(t.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(RGBImage(width: 16, height: 16, pixelTensor: t) == image)
  }

  @Test func tensorRoundTripIsIdentityInDouble() {
    let image = noiseImage(width: 31, height: 17, seed: 20)
    let t = image.pixelTensor(as: Double.self)
    #expect(t[0, 0] == Double(image.pixels[0]) / 255)
    #expect(RGBImage(width: 31, height: 17, pixelTensor: t) == image)
  }

  @Test func rowRangeSelectsRasterOrder() {
    let image = noiseImage(width: 5, height: 4, seed: 21)
    let t = image.pixelTensor(rows: 1..<3, as: Float.self)
    #expect(t.rows == 10)
    // Row 0 of the tensor is pixel (0, 1); row 9 is pixel (4, 2).
    #expect(t[0, 1] == Float(image[0, 1].green) / 255)
    #expect(t[9, 2] == Float(image[4, 2].blue) / 255)
  }

  @Test func valuesAreClampedAndRounded() {
    var image = RGBImage(width: 2, height: 1, repeating: RGBPixel(grey: 9))
    let values: [Float] = [-0.5, 1.7, 0.5, .infinity, -.infinity, 0.2]
    image.setPixels(rows: 0..<1, from: Tensor(rows: 2, columns: 3, scalars: values))
    #expect(image.pixels == [0, 255, 128, 255, 0, 51])  // 0.5·255 = 127.5 → 128, 0.2·255 = 51
  }

  @Test(arguments: [1, 7, 256, 1000, 1001])
  func rowBlocksCoverEveryRowOnce(blockHeight: Int) {
    let image = noiseImage(width: 3, height: 1000, seed: 22)
    var seen = [Int](repeating: 0, count: 1000)
    var previousEnd = 0
    image.forEachRowBlock(rows: blockHeight, as: Float.self) { rows, block in
      #expect(rows.lowerBound == previousEnd)
      #expect(rows.count <= blockHeight && !rows.isEmpty)
      #expect(block.rows == rows.count * 3 && block.columns == 3)
      #expect(block == image.pixelTensor(rows: rows, as: Float.self))
      for r in rows { seen[r] += 1 }
      previousEnd = rows.upperBound
    }
    #expect(seen.allSatisfy { $0 == 1 })
  }

  @Test func mapRowBlocksTransformsInPlace() {
    let original = noiseImage(width: 40, height: 45, seed: 23)
    var identity = original
    identity.mapRowBlocks(rows: 8, as: Double.self) { _, block in block }
    #expect(identity == original)

    var inverted = original
    var blocks = 0
    inverted.mapRowBlocks(rows: 16, as: Float.self) { _, block in
      blocks += 1
      return block.map { 1 - $0 }
    }
    #expect(blocks == 3)  // 16 + 16 + 13 rows
    #expect(inverted.pixels == original.pixels.map { 255 - $0 })
  }

  @Test func randomPixelsAreSeededDistinctAndCorrect() {
    let image = noiseImage(width: 50, height: 40, seed: 24)
    let a = image.randomPixelIndices(count: 300, seed: 7)
    #expect(a == image.randomPixelIndices(count: 300, seed: 7))
    #expect(a != image.randomPixelIndices(count: 300, seed: 8))
    #expect(Set(a).count == 300 && a.allSatisfy { $0 >= 0 && $0 < 2_000 })
    let t = image.randomPixels(count: 300, seed: 7, as: Float.self)
    #expect(t.rows == 300 && t.columns == 3)
    for (row, p) in a.enumerated() {
      let pixel = image[p % 50, p / 50]
      #expect(t[row, 0] == Float(pixel.red) / 255 && t[row, 2] == Float(pixel.blue) / 255)
    }
    // Drawing every pixel gives a permutation.
    #expect(image.randomPixelIndices(count: 2_000, seed: 3).sorted() == Array(0..<2_000))
    #expect(image.randomPixels(count: 0, seed: 3, as: Double.self).rows == 0)
  }

  @Test func randomPixelIndicesAreRoughlyUniform() {
    // 400 seeds × 50 of 100 pixels: each pixel is drawn Binomial(400, ½)
    // times, mean 200, sd 10; allow ±5 sd.
    let image = RGBImage(width: 10, height: 10, repeating: RGBPixel(grey: 0))
    var counts = [Int](repeating: 0, count: 100)
    for seed in 0..<UInt64(400) { for p in image.randomPixelIndices(count: 50, seed: seed) { counts[p] += 1 } }
    #expect(counts.allSatisfy { $0 > 150 && $0 < 250 })
  }
}
