import Foundation
import Testing
import NCFTensor
import NCFFlows
import NCFImages
import NCFApplications

@Suite("colour-transfer pipeline")
struct PipelineTests {
  /// A short, small training run (a second or two).
  static var quick: ColorTransferConfiguration {
    var c = ColorTransferConfiguration()
    c.training.iterations = 150
    c.training.width = 16
    c.training.depth = 2
    c.training.energyBatch = 256
    c.training.collocationBatch = 256
    c.training.validationSize = 256
    c.training.warmupSteps = 10
    c.baselineSamples = 200
    c.sinkhornEpsilon = 3e-3
    c.metric = ColorHistogramMetric(layout: .joint, bins: 8)
    return c
  }

  @Test("the pixel sampler draws fresh, seeded subsets of the image's colours")
  func sampler() throws {
    let image = TestImages.uniform(width: 12, height: 9, seed: 1)
    guard case .sampler(let d, let draw) = PixelSampler.source(image) else { Issue.record("not a sampler"); return }
    #expect(d == 3)
    var r1 = SeededRandom(seed: 4), r2 = SeededRandom(seed: 4)
    let a = draw(50, &r1), b = draw(50, &r2)
    #expect(a == b)  // same generator state, same batch
    #expect(draw(50, &r1) != a)  // the next batch is fresh
    let colours = Set((0..<image.pixelCount).map { image.pixelTensor(at: [$0], as: Double.self).row(0) })
    for i in 0..<a.rows { #expect(colours.contains(a.row(i))) }
    #expect(Set((0..<a.rows).map { a.row($0) }).count == Set((0..<a.rows).map { a.row($0) }).count)
    #expect(draw(500, &r1).rows == 500)  // more than the 108 pixels: drawn with replacement
  }

  @Test("end to end on two synthetic images: NCF moves the colours toward the style; baselines and reverse present")
  func endToEnd() throws {
    let content = TestImages.twoTone(width: 32, height: 24, (200, 60, 40), (230, 200, 90), seed: 1)
    let style = TestImages.twoTone(width: 30, height: 20, (40, 80, 200), (60, 190, 120), seed: 2)
    let pipeline = ColorTransferPipeline(configuration: Self.quick)
    let trained = try pipeline.train(content: content, style: style)
    #expect(trained.steps == 150)
    let result = try content.recolored(by: NCFColorMap(model: trained.model, direction: .forward))
    let reverse = try style.recolored(by: NCFColorMap(model: trained.model, direction: .backward))
    #expect(result.width == 32 && result.height == 24 && reverse.width == 30 && reverse.height == 20)
    let baselines = try #require(try pipeline.baselines(content: content, style: style))
    #expect(baselines.exact.isOptimal)
    let forward = try pipeline.evaluate(.forward, content: content, style: style, recolored: result, baselines: baselines)
    let backward = try pipeline.evaluate(.backward, content: content, style: style, recolored: reverse, baselines: baselines)
    for d in [forward, backward] {
      #expect(d.scores.map(\.method) == ["identity", "NCF", "exact OT", "Sinkhorn"])
      let identity = try #require(d.score("identity")), ncf = try #require(d.score("NCF"))
      #expect(ncf.hi > identity.hi, "\(d.direction): NCF HI \(ncf.hi) vs identity \(identity.hi)")
      #expect(ncf.emd < identity.emd, "\(d.direction): NCF EMD \(ncf.emd) vs identity \(identity.emd)")
      #expect(try #require(d.score("exact OT")).hi > identity.hi)
    }
  }

  @Test("evaluation on a subset: every map is scored on the same pixels; the NCF row reads the written image")
  func evaluationSubset() throws {
    let source = TestImages.uniform(width: 40, height: 30, seed: 3)
    let reference = TestImages.uniform(width: 20, height: 20, lo: 100, hi: 200, seed: 4)
    struct Halve: ColorMap { func map(_ c: Tensor<Double>) -> Tensor<Double> { c.map { 0.5 * $0 + 0.25 } } }
    let metric = ColorHistogramMetric(layout: .joint, bins: 8)
    let metrics = [metric, ColorHistogramMetric(layout: .perChannel, bins: 256)]
    let sub = ColorTransferEvaluator(source: source, reference: reference, metrics: metrics, maxPixels: 500, seed: 1)
    #expect(sub.pixelCount == 500 && sub.indices?.count == 500)
    let recolored = try source.recolored(by: Halve())
    #expect(try sub.scores(Halve()) == sub.scores(recolored: recolored))
    #expect(try sub.scores(Halve()).count == 2)
    let all = ColorTransferEvaluator(source: source, reference: reference, metrics: metrics, maxPixels: 10_000)
    #expect(all.indices == nil && all.pixelCount == 1200)
    #expect(try all.scores(Halve()) == all.scores(recolored: recolored))
    // The identity scored on all pixels equals the plain histogram comparison of the two images.
    #expect(try all.scores(IdentityColorMap())[0] == metric.compare(metric.histograms(of: source), metric.histograms(of: reference)))
  }

  @Test("the report encodes to JSON with every section")
  func reportJSON() throws {
    let content = TestImages.twoTone(width: 16, height: 12, (200, 60, 40), (230, 200, 90), seed: 5)
    let style = TestImages.twoTone(width: 16, height: 12, (40, 80, 200), (60, 190, 120), seed: 6)
    var config = Self.quick
    config.training.iterations = 20
    let pipeline = ColorTransferPipeline(configuration: config)
    let trained = try pipeline.train(content: content, style: style)
    let result = try content.recolored(by: NCFColorMap(model: trained.model, direction: .forward))
    let baselines = try pipeline.baselines(content: content, style: style)
    let forward = try pipeline.evaluate(.forward, content: content, style: style, recolored: result, baselines: baselines)
    let report = ColorTransferReport(
      content: .init(path: "a.png", width: 16, height: 12), style: .init(path: "b.png", width: 16, height: 12),
      metric: config.metric, secondaryMetric: config.secondaryMetric, forward: forward, backward: nil,
      training: .init(model: trained.model, steps: trained.steps, seconds: trained.seconds), baselines: baselines,
      seconds: ["total": 1])
    let object = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
    for key in ["content", "style", "metric", "secondaryMetric", "forward", "training", "exact", "sinkhorn", "seconds"] {
      #expect(object[key] != nil, "missing \(key)")
    }
    #expect(ColorTransferReport.table(forward).contains("exact OT"))
    #expect(ColorTransferReport.table(forward).contains("HI₂"))
    #expect(forward.scores.allSatisfy { $0.secondary != nil })
  }

  @Test("a one-pixel image is rejected with a clear error")
  func tooSmall() {
    let one = RGBImage(width: 1, height: 1, repeating: RGBPixel(grey: 3))
    let other = TestImages.uniform(width: 4, height: 4, seed: 1)
    #expect(throws: ColorTransferError.tooFewPixels(role: "content", count: 1, needed: 2)) {
      try ColorTransferPipeline(configuration: Self.quick).train(content: one, style: other)
    }
  }
}
