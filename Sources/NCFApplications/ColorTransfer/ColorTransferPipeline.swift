import Foundation
import NCFTensor
import NCFFlows
import NCFImages

/// Colour transfer with one NCF model, step by step:
///
/// ```swift
/// let pipeline = ColorTransferPipeline()
/// let trained = try pipeline.train(content: a, style: b)                       // one model, both maps
/// let result = try a.recolored(by: NCFColorMap(model: trained.model, direction: .forward))
/// let back = try b.recolored(by: NCFColorMap(model: trained.model, direction: .backward))
/// let baselines = try pipeline.baselines(content: a, style: b)                 // exact OT and Sinkhorn
/// let scores = try pipeline.evaluate(.forward, content: a, style: b, recolored: result, baselines: baselines)
/// ```
///
/// The model is trained on RGB colours in [0, 1]³: the source μ is the
/// content image's pixels, the target ν the style image's, each step drawing
/// fresh random pixel subsets (``PixelSampler``). Its forward map T recolours
/// the content image with the style's palette, and its backward map S
/// recolours the style image with the content's palette.
public struct ColorTransferPipeline: Sendable {
  public var configuration: ColorTransferConfiguration

  public init(configuration: ColorTransferConfiguration = .init()) {
    self.configuration = configuration
  }

  /// The NCF problem: random content pixels → random style pixels, under
  /// the configuration's cost.
  public func problem(content: RGBImage, style: RGBImage) -> NCFProblem {
    NCFProblem(source: PixelSampler.source(content), target: PixelSampler.source(style), cost: configuration.cost)
  }

  /// Trains the model on the two images' pixels.
  /// - Parameters:
  ///   - progress: the trainer's progress callback (return false to stop early).
  ///   - shouldStop: polled every step (e.g. a Ctrl-C flag).
  /// - Throws: ``NCFSolverError`` (invalid settings or cost, non-finite loss);
  ///   ``ColorTransferError/tooFewPixels(role:count:needed:)`` for a 1-pixel image,
  ///   ``ColorTransferError/singleColour(role:_:)`` for an image that is (nearly)
  ///   one colour (the samplers hide the pixels from ``NCFProblem/issue``, so
  ///   the spread check runs here, on every pixel).
  public func train(
    content: RGBImage, style: RGBImage, progress: ((TrainingProgress) -> Bool)? = nil, shouldStop: (() -> Bool)? = nil
  ) throws -> NCFOutput {
    for (role, image) in [("content", content), ("style", style)] where image.pixelCount < 2 {
      throw ColorTransferError.tooFewPixels(role: role, count: image.pixelCount, needed: 2)
    }
    if let (side, collapse) = SampleSpread.collapse(source: .init(colours: content), target: .init(colours: style)) {
      throw ColorTransferError.singleColour(role: side == .source ? "content" : "style", collapse)
    }
    return try NCFSolver(settings: configuration.training)
      .solve(problem(content: content, style: style), progress: progress, shouldStop: shouldStop)
  }

  /// The exact-OT and Sinkhorn baselines on `baselineSamples` pixels of each
  /// image (fewer if an image is smaller), or nil when baselines are off.
  /// - Throws: ``DiscreteOTError`` (not expected for valid images).
  public func baselines(content: RGBImage, style: RGBImage) throws -> DiscreteColorBaselines? {
    let c = configuration
    guard c.baselines else { return nil }
    let n = min(c.baselineSamples, content.pixelCount, style.pixelCount)
    guard n >= 2 else { return nil }
    return try DiscreteColorBaselines.solve(
      content: content, style: style, samples: n, epsilon: c.sinkhornEpsilon, tolerance: c.sinkhornTolerance,
      maxIterations: c.sinkhornMaxIterations, seed: c.seed)
  }

  /// The report rows of one direction: identity (the unmapped image vs the
  /// reference), NCF (read from the recoloured image), and, when given, the
  /// exact-OT and Sinkhorn baselines (their maps applied to the same pixels).
  ///
  /// Forward: the content image recoloured, scored against the style image.
  /// Backward: the style image recoloured, scored against the content image.
  /// - Throws: ``ColorTransferError``, or the exact solver's error for an EMD.
  public func evaluate(
    _ direction: NCFColorMap.Direction, content: RGBImage, style: RGBImage, recolored: RGBImage,
    baselines: DiscreteColorBaselines?
  ) throws -> ColorTransferReport.DirectionReport {
    let forward = direction == .forward
    let (source, reference) = forward ? (content, style) : (style, content)
    let evaluator = ColorTransferEvaluator(
      source: source, reference: reference, metrics: [configuration.metric] + (configuration.secondaryMetric.map { [$0] } ?? []),
      maxPixels: configuration.evaluationPixels, seed: configuration.seed &+ (forward ? 0 : 1))
    var scores = [
      ColorTransferScore(method: "identity", distances: try evaluator.scores(IdentityColorMap()), note: "unmapped image"),
      ColorTransferScore(method: "NCF", distances: try evaluator.scores(recolored: recolored),
                         note: forward ? "forward map T" : "backward map S (same model)"),
    ]
    if let b = baselines {
      let n = b.sourceSample.rows
      let exactNote = "n = \(n) pixels per image, barycentric projection of the nearest sample's plan row"
        + (b.exact.isOptimal ? "" : "; NOT certified optimal (\(b.exact.status.rawValue))")
      scores.append(ColorTransferScore(
        method: "exact OT", distances: try evaluator.scores(forward ? b.exactForward : b.exactBackward), note: exactNote))
      let s = b.sinkhorn
      let sinkhornNote = "n = \(n), ε = \(s.targetEpsilon), entropic map; "
        + (s.converged ? "converged in \(s.iterations) iterations"
                       : "DID NOT CONVERGE (\(s.iterations) iterations, marginal error \(String(format: "%.2e", s.marginalError)))")
      scores.append(ColorTransferScore(
        method: "Sinkhorn", distances: try evaluator.scores(forward ? b.sinkhornForward : b.sinkhornBackward),
        note: sinkhornNote))
    }
    return ColorTransferReport.DirectionReport(
      direction: forward ? "content → style" : "style → content", evaluationPixels: evaluator.pixelCount,
      referencePixels: reference.pixelCount, scores: scores)
  }
}
