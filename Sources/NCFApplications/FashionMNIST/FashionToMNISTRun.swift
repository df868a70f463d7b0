import Foundation
import NCFTensor
import NCFNetworks
import NCFFileSystem
import NCFImages

/// What one run of ``FashionToMNISTPipeline`` produced and measured.
public struct FashionToMNISTRun: Sendable {
  /// Transported test images of one method.
  public struct Method: Sendable {
    public var name: String
    /// Decoded images, one per transported Fashion-MNIST test image, in [0, 1].
    public var images: Tensor<Float>
    public var note: String
  }

  /// One row of the results table.
  public struct Score: Sendable, Codable, Equatable {
    public var method: String
    /// Label accuracy (%): the MNIST classifier's prediction equals the source's class.
    public var accuracy: Double
    /// Accuracy (%) of each class 0…9.
    public var perClassAccuracy: [Double]
    /// Pixel Fréchet distance (GNOT's protocol) to the MNIST test images.
    public var frechetDistance: Double
    /// The same distance to the VAE reconstructions of the MNIST test images (the paper's second number).
    public var frechetDistanceToReconstructions: Double
    public var note: String
  }

  /// Dataset sizes used.
  public struct Sizes: Sendable, Codable, Equatable {
    public var vaeTraining: Int
    public var classifierTraining: Int
    /// Training latents per side for transport.
    public var transportTraining: Int
    /// Transported and scored Fashion-MNIST test images.
    public var test: Int
    public var mnistTest: Int
  }

  public var configuration: FashionToMNISTConfiguration
  public var scores: [Score]
  /// The classifier's accuracy (%) on the MNIST test set.
  public var classifierTestAccuracy: Double
  /// Pixel FD between the VAE reconstructions of MNIST test and MNIST test: the floor of what decoding allows.
  public var reconstructionFrechetDistance: Double
  /// Wall-clock seconds per stage ("vae", "classifier", "encode", "ncf-conditional", …, "total").
  public var seconds: [String: Double]
  public var vaeCached: Bool
  public var classifierCached: Bool
  public var sizes: Sizes
  /// The transported Fashion-MNIST test images and the class-conditional NCF's results (for the grid).
  public var sourceImages: LabelledImages
  public var transported: Tensor<Float>

  /// Rows quoted from the papers (not measured here): accuracy (%) and pixel FD.
  public static let quoted: [(method: String, accuracy: Double, frechetDistance: Double, source: String)] = [
    ("NCF (paper)", 83.42, 18.27, "NCF paper; FD 2.73 against VAE reconstructions"),
    ("GNOT", 83.22, 5.26, "Asadulaev et al., ICLR 2024"),
    ("NOT", 10.96, 7.51, "as reported by GNOT"),
    ("discrete OT", 10.67, .infinity, "as reported by GNOT (FD > 100)"),
    ("AugCycleGAN", 12.03, 26.35, "as reported by GNOT"),
    ("MUNIT", 8.93, 7.91, "as reported by GNOT"),
  ]

  /// Scores every method, plus two reference rows: the untransported
  /// Fashion-MNIST test images and the VAE reconstructions of MNIST test.
  static func score(
    methods: [Method], expected: [Int], source: Tensor<Float>, mnistTest: LabelledImages, reconstructions: Tensor<Float>,
    classifier: FashionToMNISTPipeline.Trained<ImageClassifier>, side: Int
  ) throws -> (rows: [Score], classifierAccuracy: Double, reconstructionDistance: Double) {
    func accuracy(_ images: Tensor<Float>, _ labels: [Int]) -> (Double, [Double]) {
      let predicted = classifier.model.predict(images, parameters: classifier.parameters)
      var hits = [Int](repeating: 0, count: 10), totals = [Int](repeating: 0, count: 10)
      for (p, l) in zip(predicted, labels) {
        totals[l] += 1
        if p == l { hits[l] += 1 }
      }
      let overall = 100 * Double(hits.reduce(0, +)) / Double(max(labels.count, 1))
      return (overall, (0..<10).map { totals[$0] == 0 ? .nan : 100 * Double(hits[$0]) / Double(totals[$0]) })
    }
    let reference = PixelFrechetDistance.statistics(images: mnistTest.pixels, side: side)
    let reconstructed = PixelFrechetDistance.statistics(images: reconstructions, side: side)
    func row(_ name: String, _ images: Tensor<Float>, _ labels: [Int], _ note: String) throws -> Score {
      let (overall, perClass) = accuracy(images, labels)
      let stats = PixelFrechetDistance.statistics(images: images, side: side)
      return Score(method: name, accuracy: overall, perClassAccuracy: perClass,
                   frechetDistance: try PixelFrechetDistance.distance(stats, reference),
                   frechetDistanceToReconstructions: try PixelFrechetDistance.distance(stats, reconstructed), note: note)
    }
    var rows = try methods.map { try row($0.name, $0.images, expected, $0.note) }
    rows.append(try row("no transport (Fashion-MNIST test)", source, expected, "reference: the source images themselves"))
    let recon = try row("VAE reconstructions of MNIST test", reconstructions, mnistTest.labels, "reference: what decoding allows")
    rows.append(recon)
    return (rows, accuracy(mnistTest.pixels, mnistTest.labels).0, recon.frechetDistance)
  }

  // MARK: Output

  /// The JSON report: settings, sizes, measured rows, quoted rows, times.
  public func json() throws -> String {
    struct Quoted: Encodable { var method: String; var accuracy: Double; var frechetDistance: Double; var source: String }
    struct Report: Encodable {
      var experiment: String
      var configuration: FashionToMNISTConfiguration
      var sizes: Sizes
      var classifierTestAccuracy: Double
      var reconstructionFrechetDistance: Double
      var measured: [Score]
      var quoted: [Quoted]
      var seconds: [String: Double]
      var vaeCached: Bool
      var classifierCached: Bool
      var protocolNote: String
    }
    return try JSONFormat.prettyString(Report(
      experiment: "Fashion-MNIST → MNIST, class k → digit k, in a β-VAE latent space", configuration: configuration, sizes: sizes,
      classifierTestAccuracy: classifierTestAccuracy, reconstructionFrechetDistance: reconstructionFrechetDistance,
      measured: scores, quoted: Self.quoted.map { Quoted(method: $0.method, accuracy: $0.accuracy, frechetDistance: $0.frechetDistance, source: $0.source) },
      seconds: seconds, vaeCached: vaeCached, classifierCached: classifierCached, protocolNote: Self.protocolNote))
  }

  static let protocolNote = "Accuracy: our dense MNIST classifier on the decoded transported Fashion-MNIST test images, "
    + "target label = source class. FD: Fréchet distance of Gaussian fits on raw pixels, images quantised to bytes, "
    + "resized 28→32 with Pillow's bilinear filter, scaled to [0, 1] (GNOT's protocol), against the MNIST test images "
    + "and against their VAE reconstructions."

  /// The Markdown report: measured rows, then the quoted ones, then per-class accuracies and times.
  public var markdown: String {
    func f(_ x: Double, _ d: Int = 2) -> String { x.isFinite ? NumberFormat.fixed(x, d) : (x.isNaN ? "–" : "> 100") }
    var lines = ["| method | label accuracy (%) | pixel FD vs MNIST test | pixel FD vs VAE reconstructions | note |",
                 "|---|---|---|---|---|"]
    for s in scores {
      lines.append("| \(s.method) | \(f(s.accuracy)) | \(f(s.frechetDistance)) | \(f(s.frechetDistanceToReconstructions)) | \(s.note) |")
    }
    for q in Self.quoted {
      lines.append("| \(q.method) *(quoted)* | \(f(q.accuracy)) | \(f(q.frechetDistance)) | – | \(q.source) |")
    }
    lines += ["", "Per-class label accuracy (%), class k of Fashion-MNIST → digit k:", "",
              "| method | " + (0..<10).map(String.init).joined(separator: " | ") + " |",
              "|---|" + String(repeating: "---|", count: 10)]
    for s in scores.dropLast() {
      lines.append("| \(s.method) | " + s.perClassAccuracy.map { f($0, 1) }.joined(separator: " | ") + " |")
    }
    let order = ["vae", "classifier", "encode", "ncf-conditional", "ncf-coded", "ncf-unconditional", "discrete-ot", "scoring", "total"]
    let times = order.compactMap { k in seconds[k].map { "\(k) \(NumberFormat.fixed($0, 0)) s" } }
    lines += ["",
              "MNIST classifier test accuracy: \(f(classifierTestAccuracy))%. Floor of the FD (VAE reconstructions vs MNIST test): \(f(reconstructionFrechetDistance)).",
              "Sizes: VAE trained on \(sizes.vaeTraining) images, classifier on \(sizes.classifierTraining), transport on \(sizes.transportTraining) latents per side, \(sizes.test) test images transported.",
              "Wall time: " + times.joined(separator: ", ") + (vaeCached || classifierCached ? " (VAE cached: \(vaeCached), classifier cached: \(classifierCached))" : "") + ".",
              "", Self.protocolNote]
    return lines.joined(separator: "\n") + "\n"
  }

  /// A grid of `perClass` source test images per class and their
  /// class-conditional NCF images: one row per class, sources left, results right.
  public func grid(perClass: Int = 8, scale: Int = 2) -> RGBImage {
    let side = sourceImages.side, gap = 2, mid = 8
    let cell = side * scale
    let width = 2 * perClass * (cell + gap) + mid
    let height = 10 * (cell + gap)
    var pixels = [UInt8](repeating: 255, count: width * height * 3)
    func paint(_ image: [Float], x0: Int, y0: Int) {
      for y in 0..<cell {
        for x in 0..<cell {
          let v = UInt8(max(0, min(255, (image[(y / scale) * side + x / scale] * 255).rounded())))
          let o = ((y0 + y) * width + x0 + x) * 3
          pixels[o] = v; pixels[o + 1] = v; pixels[o + 2] = v
        }
      }
    }
    for k in 0..<10 {
      let rows = sourceImages.labels.indices.filter { sourceImages.labels[$0] == k }.prefix(perClass)
      for (j, r) in rows.enumerated() {
        paint(sourceImages.pixels.row(r), x0: j * (cell + gap), y0: k * (cell + gap))
        paint(transported.row(r), x0: perClass * (cell + gap) + mid + j * (cell + gap), y0: k * (cell + gap))
      }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
  }
}
