import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFTransport
import NCFFlows
import NCFData
import NCFApplications
import NCFTestSupport

@Suite(.serialized) struct FashionMNISTTests {
  static func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = hex.startIndex
    while i < hex.endIndex {
      let j = hex.index(i, offsetBy: 2)
      out.append(UInt8(hex[i..<j], radix: 16)!)
      i = j
    }
    return out
  }

  /// Byte-exact against Pillow, enlarging (the 28 → 32 of GNOT's protocol) and shrinking.
  @Test func bilinearResizeMatchesPillow() {
    let up = PillowBilinear.resize(Self.bytes(hex: PillowFixtures.upInput), width: 28, height: 28, outWidth: 32, outHeight: 32)
    #expect(up == Self.bytes(hex: PillowFixtures.upOutput))
    let down = PillowBilinear.resize(Self.bytes(hex: PillowFixtures.downInput), width: 28, height: 28, outWidth: 13, outHeight: 17)
    #expect(down == Self.bytes(hex: PillowFixtures.downOutput))
  }

  /// The Fréchet distance against the closed form for diagonal covariances,
  /// FD = ‖μ₁ − μ₂‖² + Σᵢ(√aᵢ − √bᵢ)², and zero for a set against itself.
  @Test func frechetDistanceMatchesTheClosedForm() throws {
    let a = PixelFrechetDistance.Statistics(mean: [0, 1, 2], covariance: Tensor([[4, 0, 0], [0, 1, 0], [0, 0, 0]]))
    let b = PixelFrechetDistance.Statistics(mean: [1, 1, 0], covariance: Tensor([[1, 0, 0], [0, 9, 0], [0, 0, 2]]))
    let expected = (1.0 + 0 + 4) + (1.0 + 4 + 2)
    #expect(abs(try PixelFrechetDistance.distance(a, b) - expected) < 1e-9)
    // A rotated pair: the distance is invariant under a common rotation.
    var rng = SeededRandom(seed: 3)
    let q = LinearAlgebra.qr(Tensor<Double>.normal(rows: 3, columns: 3, using: &rng)).q
    func rotated(_ s: PixelFrechetDistance.Statistics) -> PixelFrechetDistance.Statistics {
      .init(mean: Tensor.matmul(Tensor(row: s.mean), q, transposeB: true).scalars,
            covariance: Tensor.matmul(Tensor.matmul(q, s.covariance), q, transposeB: true))
    }
    #expect(abs(try PixelFrechetDistance.distance(rotated(a), rotated(b)) - expected) < 1e-8)
    let x = Tensor<Float>.uniform(rows: 200, columns: 16, low: 0, high: 1, using: &rng)
    let s = PixelFrechetDistance.statistics(images: x, side: 4)
    #expect(s.mean.count == 1024)
    // Rank 16 in 1024 dimensions: the square roots of round-off eigenvalues
    // (~1e-17 → ~3e-9 each) bound what "zero" can mean here.
    let trace = (0..<1024).reduce(0.0) { $0 + s.covariance[$1, $1] }
    let selfDistance = try PixelFrechetDistance.distance(s, s)
    #expect(abs(selfDistance) < 1e-6 * trace, "FD(s, s) = \(selfDistance), tr Σ = \(trace)")
  }

  /// Two classes whose unconditional OT map keeps points on their side
  /// while the labels ask them to swap sides.
  static func swapProblem() -> (source: Tensor<Double>, target: Tensor<Double>, labels: [Int]) {
    var rng = SeededRandom(seed: 21)
    func blob(_ n: Int, _ cx: Double) -> Tensor<Double> {
      Tensor<Double>.normal(rows: n, columns: 2, standardDeviation: 0.3, using: &rng) + Tensor(row: [cx, 0])
    }
    return (Tensor.concatenatingRows([blob(300, -2), blob(300, 2)]),
            Tensor.concatenatingRows([blob(300, 2), blob(300, -2)]),  // class 0 now on the right
            Array(repeating: 0, count: 300) + Array(repeating: 1, count: 300))
  }

  /// Fraction of mapped points nearer their class's target cluster centre than the other's.
  static func inClassFraction(_ mapped: Tensor<Double>, labels: [Int]) -> Double {
    let hits = labels.indices.filter { i in (labels[i] == 0) == (mapped[i, 0] > 0) }.count
    return Double(hits) / Double(labels.count)
  }

  @Test func classConditionalNCFKeepsTheLabelsWhereUnconditionalSwapsThem() throws {
    let (source, target, labels) = Self.swapProblem()
    var settings = NCFTrainingConfiguration()
    settings.iterations = 500
    settings.energyBatch = 256
    settings.collocationBatch = 512
    settings.validationInterval = 0
    settings.validationSize = 100
    settings.seed = 2
    let conditional = try LatentTransport.trainNCF(source: source, sourceLabels: labels, target: target, targetLabels: labels,
                                                   conditional: true, settings: settings)
    let unconditional = try LatentTransport.trainNCF(source: source, sourceLabels: labels, target: target, targetLabels: labels,
                                                     conditional: false, settings: settings)
    // With the class code appended (the map is told the class), trained without labels:
    // the code alone keeps the classes apart.
    let coded = LatentTransport.appendingClassCode(source, labels: labels, classes: 2, scale: 5)
    let codedTarget = LatentTransport.appendingClassCode(target, labels: labels, classes: 2, scale: 5)
    #expect(coded.columns == 4 && coded[0, 2] == 5 && coded[0, 3] == 0 && coded[599, 3] == 5)
    let codeOnly = try LatentTransport.trainNCF(source: coded, sourceLabels: labels, target: codedTarget, targetLabels: labels,
                                                conditional: false, settings: settings)
    let kept = Self.inClassFraction(conditional.model.forward(source), labels: labels)
    let keptByCode = Self.inClassFraction(codeOnly.model.forward(coded).columns(0..<2), labels: labels)
    let swapped = Self.inClassFraction(unconditional.model.forward(source), labels: labels)
    #expect(kept >= 0.95, "class-conditional: \(kept)")
    #expect(keptByCode >= 0.95, "class code, no labels: \(keptByCode)")
    #expect(swapped < 0.5, "unconditional: \(swapped)")
  }

  /// Per-class exact OT: a bijection inside each class, optimal against brute force.
  @Test func classwiseAssignmentIsAnOptimalMatchingInsideEachClass() throws {
    var rng = SeededRandom(seed: 5)
    let source = Tensor<Double>.normal(rows: 8, columns: 2, using: &rng)
    let target = Tensor<Double>.normal(rows: 8, columns: 2, using: &rng)
    let sourceLabels = [0, 1, 0, 1, 0, 1, 0, 1]
    let targetLabels = [1, 1, 0, 0, 1, 0, 1, 0]
    let assignment = try LatentTransport.classwiseAssignment(source: source, sourceLabels: sourceLabels, target: target,
                                                             targetLabels: targetLabels, seed: 1)
    #expect(Set(assignment).count == 8)
    #expect(assignment.indices.allSatisfy { targetLabels[assignment[$0]] == sourceLabels[$0] })
    func cost(_ i: Int, _ j: Int) -> Double { pow(source[i, 0] - target[j, 0], 2) + pow(source[i, 1] - target[j, 1], 2) }
    for k in 0..<2 {
      let rows = sourceLabels.indices.filter { sourceLabels[$0] == k }
      let columns = targetLabels.indices.filter { targetLabels[$0] == k }
      func permutations(_ a: [Int]) -> [[Int]] {
        a.count <= 1 ? [a] : a.indices.flatMap { i in permutations(Array(a[..<i] + a[(i + 1)...])).map { [a[i]] + $0 } }
      }
      let best = permutations(columns).map { p in zip(rows, p).reduce(0.0) { $0 + cost($1.0, $1.1) } }.min()!
      let found = rows.reduce(0.0) { $0 + cost($1, assignment[$1]) }
      #expect(abs(found - best) < 1e-12)
    }
  }

  /// Synthetic datasets in the IDX layout: class k draws a bright square at
  /// a class-dependent place (the "MNIST" side) or a class-dependent bar.
  static func writeSyntheticData(to folder: String, perClass: Int, side: Int) throws {
    var rng = SeededRandom(seed: 9)
    for (dataset, shift) in [("fashion-mnist", 0), ("mnist", 3)] {
      try FileManager.default.createDirectory(atPath: folder + "/" + dataset, withIntermediateDirectories: true)
      for (prefix, count) in [("train", perClass), ("t10k", perClass)] {
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for i in 0..<(10 * count) {
          let k = i % 10
          labels.append(UInt8(k))
          for y in 0..<side {
            for x in 0..<side {
              let on = (x + shift + k) % side < 2 && y > k % 3
              pixels.append(on ? UInt8(200 + rng.integer(below: 56)) : UInt8(rng.integer(below: 30)))
            }
          }
        }
        try IDX.write(IDXArray(shape: [10 * count, side, side], bytes: pixels), to: "\(folder)/\(dataset)/\(prefix)-images-idx3-ubyte.gz", compressed: true)
        try IDX.write(IDXArray(shape: [10 * count], bytes: labels), to: "\(folder)/\(dataset)/\(prefix)-labels-idx1-ubyte")
      }
    }
  }

  /// The whole pipeline on tiny synthetic data: every stage runs, the
  /// report is complete and finite, the second run uses the cache.
  @Test func pipelineRunsEndToEndOnTinyDataAndCachesItsModels() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-fmnist-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try Self.writeSyntheticData(to: folder, perClass: 12, side: 8)
    let data = try FashionToMNISTPipeline.Data.read(folder: folder)
    #expect(data.fashionTrain.count == 120 && data.mnistTest.side == 8)
    var c = FashionToMNISTConfiguration()
    c.latentDimension = 3
    c.vaeHidden = [16]
    c.vaeImagesPerClass = 12
    c.vaeTraining.epochs = 2
    c.vaeTraining.batchSize = 16
    c.classifierHidden = [16]
    c.classifierTraining.epochs = 2
    c.classifierTraining.batchSize = 16
    c.transportImagesPerClass = 12
    c.testImagesPerClass = 5
    c.ncf.iterations = 20
    c.ncf.energyBatch = 8
    c.ncf.collocationBatch = 64
    c.ncf.validationSize = 10
    c.ncf.width = 16
    var lines: [String] = []
    let pipeline = FashionToMNISTPipeline(configuration: c)
    let run = try pipeline.run(data: data, cacheFolder: folder + "/cache") { lines.append($0) }
    #expect(!run.vaeCached && !run.classifierCached)
    #expect(run.scores.map(\.method) == ["NCF, class-conditional", "NCF, class-conditional + class code", "NCF, unconditional", "exact OT per class",
                                         "no transport (Fashion-MNIST test)", "VAE reconstructions of MNIST test"])
    #expect(run.scores.allSatisfy { $0.frechetDistance.isFinite && $0.frechetDistance >= -1e-6 && (0...100).contains($0.accuracy) })
    #expect(run.sizes.test == 50 && run.transported.rows == 50)
    #expect(run.sizes.vaeTraining == 240 && run.sizes.classifierTraining == 120 && run.sizes.transportTraining == 120)
    #expect(data.mnistTrain.countOfFirstOfEachClass(5) == 50 && data.mnistTrain.firstOfEachClass(5).count == 50)
    #expect(lines.contains { $0.contains("training the VAE") } && lines.contains { $0.contains("exact OT per class") })
    #expect(run.markdown.contains("| GNOT *(quoted)* | 83.22 | 5.26 |"))
    let json = try JSONSerialization.jsonObject(with: Data(try run.json().utf8)) as? [String: Any]
    #expect((json?["measured"] as? [Any])?.count == 6)
    let grid = run.grid(perClass: 3, scale: 2)
    #expect(grid.width == 2 * 3 * (16 + 2) + 8 && grid.height == 10 * (16 + 2))
    // Second run: both models come from the cache, with the same numbers.
    let again = try pipeline.run(data: data, cacheFolder: folder + "/cache")
    #expect(again.vaeCached && again.classifierCached)
    #expect(again.scores == run.scores.map { s in var s = s; s.note = again.scores.first { $0.method == s.method }!.note; return s })
    // Other settings retrain.
    var other = c
    other.beta = 0.5
    let retrained = try FashionToMNISTPipeline(configuration: other).run(data: data, cacheFolder: folder + "/cache")
    #expect(!retrained.vaeCached && retrained.classifierCached)
  }

  @Test func missingOrInconsistentDataIsReportedWithTheFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-fmnist-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(throws: DataError.self) { try FashionToMNISTPipeline.Data.read(folder: folder) }
    try Self.writeSyntheticData(to: folder, perClass: 2, side: 4)
    try IDX.write(IDXArray(shape: [19], bytes: [UInt8](repeating: 1, count: 19)), to: folder + "/mnist/t10k-labels-idx1-ubyte")
    do {
      _ = try FashionToMNISTPipeline.Data.read(folder: folder)
      Issue.record("accepted 19 labels for 20 images")
    } catch let e as DataError {
      #expect(e.description.contains("19 labels for the 20 images"), "\(e)")
    }
    try IDX.write(IDXArray(shape: [20], bytes: [UInt8](repeating: 10, count: 20)), to: folder + "/mnist/t10k-labels-idx1-ubyte")
    #expect(throws: DataError.self) { try FashionToMNISTPipeline.Data.read(folder: folder) }
  }
}
