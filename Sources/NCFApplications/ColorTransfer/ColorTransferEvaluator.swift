import NCFTensor
import NCFImages

/// Scores recolourings of one image against the colours of a reference
/// image, under one or more ``ColorHistogramMetric``s.
///
/// The reference histograms are made from **every** pixel of the reference.
/// The recoloured side is evaluated on a fixed pixel set of the source
/// image: all pixels when there are at most `maxPixels`, otherwise
/// `maxPixels` pixels drawn at random (seeded). Every map scored by one
/// evaluator sees the same pixels, so the rows of a report are comparable,
/// and the cost stays bounded for any photo size. Each map is applied once;
/// all metrics are computed from the same mapped colours.
public struct ColorTransferEvaluator: Sendable {
  /// The metrics, in the order of the scores returned.
  public let metrics: [ColorHistogramMetric]
  /// The image whose pixels are recoloured.
  public let source: RGBImage
  /// Raster indices of the evaluation pixels; `nil` means every pixel.
  public let indices: [Int]?
  /// The reference image's histograms under each metric (all its pixels).
  public let references: [ColorHistograms]
  /// The evaluation pixels' colours in [0, 1] (k×3).
  public let colours: Tensor<Double>

  /// - Precondition: `maxPixels ≥ 1`; at least one metric.
  public init(
    source: RGBImage, reference: RGBImage, metrics: [ColorHistogramMetric], maxPixels: Int, seed: UInt64 = 0
  ) {
    precondition(maxPixels >= 1, "the evaluation needs at least one pixel")
    precondition(!metrics.isEmpty, "the evaluation needs at least one metric")
    self.metrics = metrics
    self.source = source
    if source.pixelCount <= maxPixels {
      indices = nil
      colours = source.pixelTensor(as: Double.self)
    } else {
      let chosen = source.randomPixelIndices(count: maxPixels, seed: seed ^ 0xE7A1).sorted()
      indices = chosen
      colours = source.pixelTensor(at: chosen, as: Double.self)
    }
    references = metrics.map { $0.histograms(of: reference) }
  }

  /// Number of evaluation pixels.
  public var pixelCount: Int { colours.rows }

  /// The scores of `map` applied to the evaluation pixels (quantised to 8
  /// bits as an image writer would), one per metric.
  /// - Throws: ``ColorTransferError/nonFiniteColour(row:column:)``, or the
  ///   exact solver's error for a joint EMD.
  public func scores(_ map: some ColorMap) throws -> [ColorDistance] {
    let mapped = map.map(colours)
    if let k = mapped.scalars.firstIndex(where: { !$0.isFinite }) {
      let pixel = indices?[k / 3] ?? k / 3
      throw ColorTransferError.nonFiniteColour(row: pixel / source.width, column: pixel % source.width)
    }
    return try zip(metrics, references).map { metric, reference in
      try metric.compare(metric.histograms(ofColours: mapped), reference)
    }
  }

  /// The scores of an already recoloured copy of the source image (the
  /// same evaluation pixels, read from `recolored`), one per metric.
  /// - Precondition: `recolored` has the source's size.
  public func scores(recolored: RGBImage) throws -> [ColorDistance] {
    precondition(recolored.width == source.width && recolored.height == source.height, "recoloured image has another size")
    return try zip(metrics, references).map { metric, reference in
      try metric.compare(metric.histograms(of: recolored, at: indices), reference)
    }
  }
}
