import NCFTensor
import NCFTransport
import NCFImages

/// How the colour-transfer report compares two colour distributions: an
/// EMD (↓) and a histogram intersection HI (↑) between normalised colour
/// histograms of 8-bit RGB pixels.
///
/// Definitions (pixels are the 8-bit values k ∈ 0…255 read as k/255 ∈ [0, 1],
/// binned exactly as ``Histogram`` bins them: bin ⌊v·bins⌋, v = 1 in the last):
///
/// - ``Layout/joint`` (default): one 3-D histogram p over bins³ cells of the
///   RGB cube; HI = Σ_cells min(p, q) ∈ [0, 1]; EMD = W₁(p, q), the exact
///   optimal-transport cost between p and q as discrete measures on the cell
///   centres with the Euclidean ground distance in [0, 1]³ units (computed
///   by ``NetworkSimplex`` over the nonempty cells, certified optimal).
/// - ``Layout/perChannel``: three 1-D histograms (R, G, B) with `bins` bins;
///   HI and EMD (1-D W₁, closed form from the CDFs) are averaged over the
///   three channels.
///
/// Units: EMD is a distance in the [0, 1] colour cube, so an image whose
/// every pixel is shifted by δ (without clipping or bin effects) has
/// EMD ≈ ‖δ‖. Identical histograms give HI = 1 and EMD = 0.
///
/// Why the joint layout is the default: it compares colours, not three
/// separate marginals (two images can have identical per-channel histograms
/// and entirely different colours). See docs/color-transfer.md for how these
/// magnitudes relate to the numbers in the NCF paper's table.
public struct ColorHistogramMetric: Sendable, Equatable, Codable, CustomStringConvertible {
  /// Which histograms are compared.
  public enum Layout: String, Sendable, Equatable, Codable, CaseIterable {
    /// One 3-D RGB histogram with bins³ cells.
    case joint
    /// Three 1-D histograms, one per channel; scores averaged over channels.
    case perChannel = "per-channel"
  }

  /// Which histograms are compared.
  public var layout: Layout
  /// Bins per channel (per axis of the cube for the joint layout).
  public var bins: Int

  /// - Precondition: 1 ≤ bins ≤ 256 (joint: bins³ cells).
  public init(layout: Layout = .joint, bins: Int = 16) {
    precondition((1...256).contains(bins), "colour histograms need 1…256 bins per channel, got \(bins)")
    self.layout = layout
    self.bins = bins
  }

  /// `joint RGB histogram, 16 bins per channel`.
  public var description: String {
    switch layout {
    case .joint: return "joint RGB histogram, \(bins) bins per channel (\(bins * bins * bins) cells)"
    case .perChannel: return "per-channel R, G, B histograms, \(bins) bins each (scores averaged)"
    }
  }

  /// The histograms of every pixel of `image`.
  /// - Complexity: O(pixels) time, O(bins³) memory.
  public func histograms(of image: RGBImage) -> ColorHistograms {
    var counter = ColorHistogramCounter(self)
    image.pixels.withUnsafeBufferPointer { counter.add($0) }
    return counter.histograms()
  }

  /// The histograms of the pixels of `image` at the given raster indices
  /// (`y · width + x`); `nil` means every pixel.
  /// - Precondition: every index lies in `0..<image.pixelCount`; at least one pixel.
  public func histograms(of image: RGBImage, at indices: [Int]?) -> ColorHistograms {
    guard let indices else { return histograms(of: image) }
    var counter = ColorHistogramCounter(self)
    image.pixels.withUnsafeBufferPointer { p in
      for i in indices {
        precondition(i >= 0 && i < image.pixelCount, "pixel index \(i) outside 0..<\(image.pixelCount)")
        counter.add(p[3 * i], p[3 * i + 1], p[3 * i + 2])
      }
    }
    return counter.histograms()
  }

  /// The histograms of colours given as an n×3 tensor, after quantising
  /// each value to 8 bits exactly as an image writer would
  /// (round(255·clamp(v, 0, 1))), so that the scores describe the image
  /// that would be written.
  /// - Precondition: n ≥ 1, three columns, no NaN.
  public func histograms<S: TensorScalar>(ofColours colours: Tensor<S>) -> ColorHistograms {
    precondition(colours.rows >= 1 && colours.columns == 3, "colours must be an n×3 tensor with n ≥ 1")
    var counter = ColorHistogramCounter(self)
    for i in 0..<colours.rows {
      counter.add(Self.quantize(colours[i, 0]), Self.quantize(colours[i, 1]), Self.quantize(colours[i, 2]))
    }
    return counter.histograms()
  }

  /// EMD and HI between two sets of histograms made by this metric.
  /// - Precondition: both were made with this metric's layout and bins.
  /// - Throws: ``DiscreteOTError`` if the exact solver cannot certify the joint EMD.
  /// - Complexity: joint: the network simplex over the nonempty cells
  ///   (O(cells²) memory for their cost matrix, at most 4096² for 16 bins);
  ///   per-channel: O(bins).
  public func compare(_ a: ColorHistograms, _ b: ColorHistograms) throws -> ColorDistance {
    precondition(a.metric == self && b.metric == self, "histograms were made with another metric")
    var emd = 0.0, hi = 0.0
    for (p, q) in zip(a.parts, b.parts) {
      emd += try p.wasserstein(q, order: 1)
      hi += p.intersection(q)
    }
    let k = Double(a.parts.count)
    return ColorDistance(emd: emd / k, hi: hi / k)
  }

  /// round(255·clamp(v, 0, 1)), half away from zero (as ``RGBImage`` quantises).
  @inline(__always)
  static func quantize<S: TensorScalar>(_ v: S) -> UInt8 {
    precondition(!v.isNaN, "NaN colour")
    let v = Double(v)
    let x = v > 0 ? (v < 1 ? v * 255 : 255) : 0
    let t = Int(x)
    return UInt8(x - Double(t) >= 0.5 ? t + 1 : t)
  }
}

/// The histograms of one image under a ``ColorHistogramMetric``: one joint
/// 3-D histogram, or three 1-D ones (R, G, B).
public struct ColorHistograms: Sendable, Equatable {
  /// The metric that made them.
  public let metric: ColorHistogramMetric
  /// One ``Histogram`` (joint) or three (per channel), each normalised to 1.
  public let parts: [Histogram]
  /// Pixels counted.
  public let pixelCount: Int
}

/// The two scores of a colour comparison.
public struct ColorDistance: Sendable, Equatable, Codable {
  /// Earth mover's distance W₁ between the histograms (↓, colour-cube units).
  public var emd: Double
  /// Histogram intersection Σ min(p, q) (↑, 1 for identical histograms).
  public var hi: Double

  public init(emd: Double, hi: Double) {
    self.emd = emd
    self.hi = hi
  }
}

/// Counts 8-bit RGB pixels into the bins of a metric.
struct ColorHistogramCounter {
  let metric: ColorHistogramMetric
  /// The bin of each 8-bit value.
  private let binOf: [Int]
  private var counts: [[Double]]
  private(set) var pixels = 0

  init(_ metric: ColorHistogramMetric) {
    self.metric = metric
    let bins = metric.bins
    // Histogram.binIndex on k/255, tabulated, so the counts agree with
    // Histogram.joint/perChannel of the image's pixel tensor.
    binOf = (0...255).map { k in Histogram.binIndex(Double(k) / 255, bins: bins) }
    switch metric.layout {
    case .joint: counts = [[Double](repeating: 0, count: bins * bins * bins)]
    case .perChannel: counts = Array(repeating: [Double](repeating: 0, count: bins), count: 3)
    }
  }

  @inline(__always)
  mutating func add(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
    let (br, bg, bb) = (binOf[Int(r)], binOf[Int(g)], binOf[Int(b)])
    switch metric.layout {
    case .joint:
      counts[0][(br * metric.bins + bg) * metric.bins + bb] += 1
    case .perChannel:
      counts[0][br] += 1
      counts[1][bg] += 1
      counts[2][bb] += 1
    }
    pixels += 1
  }

  /// Adds interleaved RGB bytes.
  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
    precondition(bytes.count % 3 == 0, "RGB bytes come in threes")
    var i = 0
    while i < bytes.count {
      add(bytes[i], bytes[i + 1], bytes[i + 2])
      i += 3
    }
  }

  func histograms() -> ColorHistograms {
    precondition(pixels > 0, "colour histogram of no pixels")
    let dimension = metric.layout == .joint ? 3 : 1
    return ColorHistograms(
      metric: metric, parts: counts.map { Histogram(masses: $0, bins: metric.bins, dimension: dimension) },
      pixelCount: pixels)
  }
}
