import Testing
import NCFTensor
import NCFFlows
import NCFImages
import NCFApplications

/// The library pipelines behind `ncf plot`, `ncf demo` and `ncf
/// color-transfer` refuse NaN or infinite model results, and colour transfer
/// refuses single-colour images, which its samplers hide from the problem's checks.
@Suite("non-finite results and single-colour images in the pipelines")
struct NonFiniteResultTests {
  /// The moment-started model of a 2-D Gaussian pair (no training steps).
  static func model() throws -> NCFModel {
    var c = NCFTrainingConfiguration()
    c.iterations = 0
    c.validationSize = 256
    var rng = SeededRandom(seed: 1)
    let x = Tensor<Double>.normal(rows: 400, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: 400, columns: 2, using: &rng).map { 0.5 * $0 + 2 }
    return try NCFSolver(settings: c).solve(NCFProblem(source: x, target: y)).model
  }

  @Test func theFigureNamesTheRowOfTheWholeSample() throws {
    let model = try Self.model()
    var rng = SeededRandom(seed: 2)
    let x = Tensor<Double>.normal(rows: 50, columns: 2, using: &rng)
    var y = Tensor<Double>.normal(rows: 60, columns: 2, using: &rng)
    // The figure draws a subset of 20 target points (seed 12); make its 5th overflow Float.
    let bad = y.subsampleRows(20, seed: 12)[5]
    y[bad, 1] = 1e39
    #expect(throws: NonFiniteResultError(quantity: "backward map", row: bad, side: .target)) {
      try TransportFigure.make(model: model, source: x, target: y, history: nil, segments: 10, maxPoints: 20)
    }
    y[bad, 1] = 0
    let figure = try TransportFigure.make(model: model, source: x, target: y, history: nil, segments: 10, maxPoints: 20)
    #expect(figure.panels.count == 4)
  }

  @Test("a single-colour content or style image is refused before training", arguments: ["content", "style"])
  func singleColourImages(role: String) throws {
    let flat = RGBImage(width: 40, height: 30, repeating: RGBPixel(red: 10, green: 200, blue: 30))
    // One pixel one level off: still one colour (RMS spread ~2·10⁻⁴ of both images' together).
    var bytes = flat.pixels
    bytes[0] = 11
    let nearlyFlat = RGBImage(width: 40, height: 30, pixels: bytes)
    let photo = TestImages.twoTone(width: 12, height: 10, (200, 60, 40), (40, 80, 200), seed: 3)
    var settings = ColorTransferConfiguration()
    settings.training.iterations = 1
    let pipeline = ColorTransferPipeline(configuration: settings)
    for image in [flat, nearlyFlat] {
      let (content, style) = role == "content" ? (image, photo) : (photo, image)
      do {
        _ = try pipeline.train(content: content, style: style)
        Issue.record("\(role): a single-colour image was trained on")
      } catch ColorTransferError.singleColour(let r, let collapse) {
        #expect(r == role)
        #expect(collapse.count == 1200)
        #expect(abs(collapse.point[1] - 200.0 / 255) < 1e-9)
      }
      do {
        _ = try pipeline.run(content: (content, "a.png"), style: (style, "b.png"))
        Issue.record("\(role): run trained on a single-colour image")
      } catch {
        let text = "\(error)"
        #expect(text.hasPrefix(role == "content" ? "a.png: the content image" : "b.png: the style image"), "\(text)")
        #expect(text.contains("RGB (") && !text.contains("\n"), "\(text)")
      }
    }
  }
}
