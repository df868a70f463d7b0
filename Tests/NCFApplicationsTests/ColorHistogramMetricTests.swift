import Testing
import NCFTensor
import NCFTransport
import NCFImages
import NCFApplications

@Suite("colour histogram metric")
struct ColorHistogramMetricTests {
  static let metrics = [
    ColorHistogramMetric(layout: .joint, bins: 8), ColorHistogramMetric(layout: .joint, bins: 16),
    ColorHistogramMetric(layout: .perChannel, bins: 16), ColorHistogramMetric(layout: .perChannel, bins: 256),
  ]

  @Test("identical images: HI = 1, EMD = 0", arguments: metrics)
  func identical(metric: ColorHistogramMetric) throws {
    let image = TestImages.uniform(width: 40, height: 30, seed: 1)
    let h = metric.histograms(of: image)
    let d = try metric.compare(h, h)
    #expect(abs(d.hi - 1) <= 1e-12)
    #expect(d.emd == 0)
  }

  @Test("different pixel order, same colours: HI = 1, EMD = 0")
  func permutationInvariant() throws {
    let image = TestImages.uniform(width: 20, height: 10, seed: 2)
    var reversed = [UInt8]()
    for p in stride(from: image.pixelCount - 1, through: 0, by: -1) { reversed += image.pixels[(3 * p)..<(3 * p + 3)] }
    let other = RGBImage(width: 10, height: 20, pixels: reversed)
    let metric = ColorHistogramMetric()
    let d = try metric.compare(metric.histograms(of: image), metric.histograms(of: other))
    #expect(abs(d.hi - 1) <= 1e-12 && d.emd == 0)
  }

  /// W1 is translation-equivariant: shifting every colour by δ moves the
  /// histogram by δ up to binning. For colours spread uniformly over a box
  /// many bins wide, the binned W1 matches ‖δ‖ (joint) or mean |δ_c|
  /// (per channel) to within a small fraction of a bin.
  @Test("EMD of a uniformly shifted image ≈ the shift distance")
  func shift() throws {
    let image = TestImages.uniform(width: 200, height: 150, lo: 40, hi: 160, seed: 3)
    let delta = (26, 13, -20)
    let moved = TestImages.shifted(image, by: delta)
    let length = Double(26 * 26 + 13 * 13 + 20 * 20).squareRoot() / 255  // 0.1367

    let joint = ColorHistogramMetric(layout: .joint, bins: 16)
    let dj = try joint.compare(joint.histograms(of: image), joint.histograms(of: moved))
    // Tolerance: a quarter of a bin width (1/16) — binning moves each coordinate by < 1 bin.
    #expect(abs(dj.emd - length) < 0.25 / 16, "joint EMD \(dj.emd) vs shift \(length)")

    let perChannel = ColorHistogramMetric(layout: .perChannel, bins: 64)
    let dc = try perChannel.compare(perChannel.histograms(of: image), perChannel.histograms(of: moved))
    let meanShift = Double(26 + 13 + 20) / 3 / 255
    #expect(abs(dc.emd - meanShift) < 0.25 / 64, "per-channel EMD \(dc.emd) vs mean shift \(meanShift)")
  }

  @Test("EMD grows with the shift; HI falls")
  func monotone() throws {
    let image = TestImages.uniform(width: 100, height: 100, lo: 60, hi: 140, seed: 4)
    let metric = ColorHistogramMetric()
    let base = metric.histograms(of: image)
    var last = (emd: 0.0, hi: 1.0)
    for k in [8, 24, 48, 96] {
      let d = try metric.compare(base, metric.histograms(of: TestImages.shifted(image, by: (k, 0, 0))))
      #expect(d.emd > last.emd && d.hi <= last.hi)
      last = (d.emd, d.hi)
    }
  }

  @Test("counts agree with NCFTransport's Histogram of the pixel tensor", arguments: [1, 7, 16, 255])
  func agreesWithHistogram(bins: Int) {
    let image = TestImages.uniform(width: 31, height: 17, seed: UInt64(bins))
    let pixels: Tensor<Double> = image.pixelTensor()
    if bins <= 32 {
      let ours = ColorHistogramMetric(layout: .joint, bins: bins).histograms(of: image).parts
      #expect(ours == [Histogram.joint(pixels, bins: bins)])
    }
    let ours = ColorHistogramMetric(layout: .perChannel, bins: bins).histograms(of: image).parts
    #expect(ours == Histogram.perChannel(pixels, bins: bins))
  }

  @Test("colours are quantised like the image writer before binning")
  func quantisedLikeTheWriter() throws {
    let image = TestImages.uniform(width: 30, height: 20, seed: 5)
    // A map that lands on 8-bit half-way points and outside the cube.
    struct Squash: ColorMap {
      func map(_ c: Tensor<Double>) -> Tensor<Double> { c.map { 1.3 * $0 - 0.15 + 0.5 / 255 } }
    }
    let written = try image.recolored(by: Squash())
    let metric = ColorHistogramMetric(layout: .joint, bins: 16)
    let direct = metric.histograms(ofColours: Squash().map(image.pixelTensor()))
    #expect(direct == metric.histograms(of: written))
  }

  @Test("subset histograms count the given pixels only")
  func subset() {
    let image = TestImages.twoTone(width: 10, height: 4, (255, 0, 0), (0, 0, 255), noise: 0, seed: 6)
    let metric = ColorHistogramMetric(layout: .joint, bins: 4)
    let left = metric.histograms(of: image, at: [0, 1, 10, 11])  // left-half pixels only
    #expect(left.pixelCount == 4)
    #expect(left.parts[0].masses.filter { $0 > 0 } == [1])
  }
}
