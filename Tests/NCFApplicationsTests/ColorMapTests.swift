import Testing
import NCFTensor
import NCFTransport
import NCFImages
import NCFApplications
import NCFTestSupport

@Suite("colour maps and recolouring")
struct ColorMapTests {
  @Test("recolouring with the identity returns the same image")
  func identity() throws {
    let image = TestImages.uniform(width: 37, height: 23, seed: 1)
    #expect(try image.recolored(by: IdentityColorMap(), pixelsPerBlock: 100) == image)
  }

  @Test("block-by-block recolouring equals mapping the whole pixel tensor, for any block size", arguments: [1, 50, 1 << 16])
  func blocks(pixelsPerBlock: Int) throws {
    struct Invert: ColorMap { func map(_ c: Tensor<Double>) -> Tensor<Double> { c.map { 1 - $0 } } }
    let image = TestImages.uniform(width: 19, height: 11, seed: 2)
    let whole = RGBImage(width: 19, height: 11, pixelTensor: Invert().map(image.pixelTensor(as: Double.self)))
    var calls = 0
    let blocked = try image.recolored(by: Invert(), pixelsPerBlock: pixelsPerBlock) { done, total in
      calls += 1
      #expect(done <= total && total == 11)
      return true
    }
    #expect(blocked == whole)
    #expect(calls == (11 + image.recolorBlockRows(pixelsPerBlock: pixelsPerBlock) - 1) / image.recolorBlockRows(pixelsPerBlock: pixelsPerBlock))
  }

  @Test("out-of-cube colours are clamped")
  func clamped() throws {
    struct Far: ColorMap { func map(_ c: Tensor<Double>) -> Tensor<Double> { c.map { $0 * 10 - 4 } } }
    let image = TestImages.uniform(width: 8, height: 8, seed: 3)
    let out = try image.recolored(by: Far())
    #expect(out.pixels.allSatisfy { $0 == 0 || $0 == 255 || ($0 > 0 && $0 < 255) })
    #expect(out.pixels.contains(0) && out.pixels.contains(255))
  }

  @Test("a map that returns NaN throws, naming the pixel, instead of painting it")
  func nonFinite() {
    struct Broken: ColorMap {
      func map(_ c: Tensor<Double>) -> Tensor<Double> {
        var out = c
        if c.rows > 12 { out[12, 1] = .nan }
        return out
      }
    }
    let image = TestImages.uniform(width: 10, height: 5, seed: 4)
    #expect(throws: ColorTransferError.nonFiniteColour(row: 1, column: 2)) { try image.recolored(by: Broken()) }
  }

  @Test("the progress callback can cancel")
  func cancel() {
    let image = TestImages.uniform(width: 10, height: 10, seed: 5)
    #expect(throws: ColorTransferError.cancelled) {
      try image.recolored(by: IdentityColorMap(), pixelsPerBlock: 10) { done, _ in done < 3 }
    }
  }

  /// The grid index behind the barycentric map must find the exact nearest
  /// anchor: each anchor's image encodes its index, checked against brute force.
  @Test("nearest-anchor lookup agrees with brute force (inside and outside the cube, with ties)", arguments: [1, 5, 200, 3000])
  func nearestAnchor(anchorCount n: Int) {
    var rng = SeededRandom(seed: UInt64(n))
    var anchors = Tensor<Double>.uniform(rows: n, columns: 3, using: &rng)
    if n > 10 { for k in 0..<3 { anchors[7, k] = anchors[3, k] } }  // a duplicate: ties go to the lower index
    let images = Tensor<Double>(rows: n, columns: 3) { out in for i in 0..<n { out[3 * i] = Double(i) } }
    let map = BarycentricColorMap(anchors: anchors, images: images)
    let queries = Tensor<Double>.uniform(rows: 2000, columns: 3, low: -0.3, high: 1.3, using: &rng)
    let found = map.map(queries)
    for q in 0..<queries.rows {
      var best = 0, bestDistance = Double.infinity
      for i in 0..<n {
        var d = 0.0
        for k in 0..<3 { d += (anchors[i, k] - queries[q, k]) * (anchors[i, k] - queries[q, k]) }
        if d < bestDistance { best = i; bestDistance = d }
      }
      #expect(Int(found[q, 0]) == best, "query \(q)")
    }
    if n > 10 {
      let onDuplicate = Tensor<Double>(rows: 1, columns: 3, scalars: anchors.row(3))
      #expect(map.map(onDuplicate)[0, 0] == 3)
    }
  }

  @Test("barycentric projection of a permutation plan maps each anchor to its partner, both ways")
  func barycentricPermutation() {
    var rng = SeededRandom(seed: 9)
    let x = Tensor<Double>.uniform(rows: 6, columns: 3, using: &rng)
    let y = Tensor<Double>.uniform(rows: 6, columns: 3, using: &rng)
    let perm = [2, 0, 5, 1, 3, 4]
    let plan = perm.enumerated().map { PlanEntry(row: $0.offset, column: $0.element, mass: 1.0 / 6) }
    let forward = BarycentricColorMap(plan: plan, from: x, to: y)
    let backward = BarycentricColorMap(plan: plan, from: y, to: x, transposed: true)
    // Σⱼ Pᵢⱼ yⱼ / aᵢ with one nonzero Pᵢⱼ: exact up to the rounding of (m·y)/m.
    #expect(maxAbsoluteDifference(forward.map(x), y.gathering(rows: perm)) <= 1e-15)
    #expect(maxAbsoluteDifference(backward.map(y.gathering(rows: perm)), x) <= 1e-15)
  }

  @Test("barycentric projection averages a split row")
  func barycentricSplit() {
    let x = Tensor<Double>([[0.1, 0.1, 0.1]])
    let y = Tensor<Double>([[0.0, 0.0, 0.0], [1.0, 0.5, 0.25]])
    let plan = [PlanEntry(row: 0, column: 0, mass: 0.25), PlanEntry(row: 0, column: 1, mass: 0.75)]
    let out = BarycentricColorMap(plan: plan, from: x, to: y).map(x)
    #expect(out.row(0) == [0.75, 0.375, 0.1875])
  }

  @Test("side-by-side figure: common height, widths and gaps")
  func montage() {
    let a = TestImages.uniform(width: 40, height: 20, seed: 1)
    let b = TestImages.uniform(width: 10, height: 10, seed: 2)
    let m = RGBImage.sideBySide([a, b], gap: 3)
    #expect(m.height == 10 && m.width == 20 + 3 + 10)
    #expect(m[21, 5] == RGBPixel(grey: 255))  // the gap is white
    #expect(m[23, 0] == b[0, 0])
  }
}
