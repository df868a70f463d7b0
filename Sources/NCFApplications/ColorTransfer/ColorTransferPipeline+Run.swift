import Foundation
import NCFTensor
import NCFFlows
import NCFImages

extension ColorTransferPipeline {
  /// What ``run(content:style:model:reverse:progress:shouldStop:mappingThreads:mapping:status:)`` produced.
  public struct Result: Sendable {
    /// The model used: trained, or the one given.
    public var model: NCFModel
    /// The training run (nil when a model was given).
    public var training: NCFOutput?
    /// The content image with the style's palette (forward map).
    public var recolored: RGBImage
    /// The style image with the content's palette (backward map), when asked for.
    public var reverse: RGBImage?
    public var baselines: DiscreteColorBaselines?
    public var report: ColorTransferReport
  }

  /// The whole transfer, in order: train (unless `model` is given), recolour
  /// the content image (and the style image when `reverse`), solve the
  /// baselines, and score every method in both directions.
  ///
  /// - Parameters:
  ///   - content, style: the images and the paths the report names.
  ///   - model: a model (content → style) to use instead of training, and its file.
  ///   - progress, shouldStop: the solver's callbacks (see ``NCFSolver``).
  ///   - mappingThreads: BLAS threads while mapping (the map already runs
  ///     one chunk per core; more BLAS threads only oversubscribe the cores);
  ///     nil keeps the current setting.
  ///   - mapping: called with the image being mapped ("content", "style") and
  ///     the fraction done, for progress on large images.
  ///   - status: one-line notes on the phases (for a progress display).
  /// - Throws: ``NCFSolverError``, ``ColorTransferError``, ``NonFiniteResultError``
  ///   (the model's certificate is NaN or infinite), or the baselines' ``DiscreteOTError``.
  public func run(
    content: (image: RGBImage, path: String?), style: (image: RGBImage, path: String?),
    model given: (model: NCFModel, path: String?)? = nil, reverse: Bool = false,
    progress: ((TrainingProgress) -> Bool)? = nil, shouldStop: (() -> Bool)? = nil,
    mappingThreads: Int? = 1, mapping: ((String, Double) -> Void)? = nil, status: ((String) -> Void)? = nil
  ) throws -> Result {
    let start = Date()
    var seconds: [String: Double] = [:]
    let (a, b) = (content.image, style.image)

    // 1. The model.
    var training: NCFOutput?
    let model: NCFModel
    let info: ColorTransferReport.TrainingInfo
    if let given {
      model = given.model
      info = .init(model: model, steps: 0, seconds: 0, loadedFrom: given.path)
    } else {
      let t = configuration.training
      status?("training on random pixels: \(t.iterations) steps, batch \(t.energyBatch), \(t.width)×\(t.depth) \(t.activation) network")
      let output: NCFOutput
      do {
        output = try train(content: a, style: b, progress: progress, shouldStop: shouldStop)
      } catch let error as ColorTransferError {
        throw error.naming(content: content.path, style: style.path)
      }
      (training, model) = (output, output.model)
      info = .init(model: model, steps: output.steps, seconds: output.seconds)
      seconds["training"] = output.seconds
    }

    // A model whose held-out measurements are NaN or infinite is refused before anything is mapped.
    try model.certificate?.requireFinite()

    // 2. Recolour.
    var mark = Date()
    let previousThreads = BLASThreads.current
    if let mappingThreads { BLASThreads.set(mappingThreads) }
    defer { if mappingThreads != nil { BLASThreads.set(previousThreads) } }
    func recolor(_ image: RGBImage, _ role: String, path: String?, _ direction: NCFColorMap.Direction) throws -> RGBImage {
      do {
        return try image.recolored(by: NCFColorMap(model: model, direction: direction)) { done, total in
          mapping?(role, Double(done) / Double(total))
          return true
        }
      } catch {
        throw ColorTransferError.recolouring((path ?? role) + (given?.path.map { " (model \($0))" } ?? ""), error)
      }
    }
    let recolored = try recolor(a, "content", path: content.path, .forward)
    let reversed = reverse ? try recolor(b, "style", path: style.path, .backward) : nil
    seconds["mapping"] = Date().timeIntervalSince(mark)

    // 3. Baselines and scores.
    mark = Date()
    if configuration.baselines {
      status?("solving the baselines: exact OT and Sinkhorn on \(min(configuration.baselineSamples, a.pixelCount, b.pixelCount)) pixels per image")
    }
    let baselines = try self.baselines(content: a, style: b)
    seconds["baselines"] = Date().timeIntervalSince(mark)
    mark = Date()
    let forward = try evaluate(.forward, content: a, style: b, recolored: recolored, baselines: baselines)
    let backward = try reversed.map { try evaluate(.backward, content: a, style: b, recolored: $0, baselines: baselines) }
    seconds["evaluation"] = Date().timeIntervalSince(mark)
    seconds["total"] = Date().timeIntervalSince(start)

    let report = ColorTransferReport(
      content: .init(path: content.path, width: a.width, height: a.height),
      style: .init(path: style.path, width: b.width, height: b.height), metric: configuration.metric,
      secondaryMetric: configuration.secondaryMetric, forward: forward, backward: backward, training: info,
      baselines: baselines, seconds: seconds)
    return Result(model: model, training: training, recolored: recolored, reverse: reversed, baselines: baselines,
                  report: report)
  }
}
