import Testing
import Foundation
import NCFTensor
import NCFData
import NCFFlows
import NCFTransport
import NCFBenchmarks
import NCFTestSupport

/// The W2 benchmark's map, sampler and files, against the shipped reference
/// values and the closed forms.
@Suite struct W2BenchmarkTests {
  /// T = ∇ψ* at the 64 reference points of every dimension, in Double, against
  /// the float64 values computed from the authors' code.
  @Test(arguments: W2BenchmarkFiles.dimensions)
  func mapMatchesTheReferencePairs(d: Int) throws {
    let folder = try W2BenchmarkFiles.directory(dimension: d)
    let pair = try W2BenchmarkPair(directory: folder, dimension: d)
    let x: Tensor<Double> = try NPY.readTensor(path: folder.appendingPathComponent("reference.x.npy").path)
    let reference: Tensor<Double> = try NPY.readTensor(path: folder.appendingPathComponent("reference.Tx.npy").path)
    #expect(x.rows == 64 && x.columns == d)
    let tx = pair.map(x)
    let worst = Self.worstRelativeRowError(tx, reference)
    #expect(worst <= 1e-5, "d = \(d): relative error \(worst)")
    // The Float path (used to sample targets for training) agrees to Float accuracy.
    let txFloat = pair.map(x.converted(to: Float.self)).converted(to: Double.self)
    let worstFloat = Self.worstRelativeRowError(txFloat, reference)
    #expect(worstFloat <= 1e-4, "d = \(d): Float relative error \(worstFloat)")
  }

  /// max over rows of |a − b| / |b|.
  static func worstRelativeRowError(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    var worst = 0.0
    for i in 0..<a.rows {
      var e = 0.0, n = 0.0
      for k in 0..<a.columns { e += (a[i, k] - b[i, k]) * (a[i, k] - b[i, k]); n += b[i, k] * b[i, k] }
      let r = (e / max(n, 1e-300)).squareRoot()
      worst = max(worst, r.isNaN ? .infinity : r)
    }
    return worst
  }

  /// The hand-written ∇ψ against central differences of ψ, in Double, at
  /// points spread over the source (including negative CELU inputs).
  @Test func icnnGradientMatchesFiniteDifferences() throws {
    let pair = try W2BenchmarkPair.load(dimension: 4)
    var rng = SeededRandom(seed: 7)
    let x = pair.sampleSource(8, using: &rng) * 1.5
    for psi in pair.potentials {
      let g = psi.gradient(x)
      let h = 1e-5
      var worst = 0.0
      for i in 0..<x.rows {
        for k in 0..<x.columns {
          var plus = x.rows(i..<(i + 1)), minus = plus
          plus[0, k] += h; minus[0, k] -= h
          let fd = (psi.value(plus)[0, 0] - psi.value(minus)[0, 0]) / (2 * h)
          worst = max(worst, abs(fd - g[i, k]) / max(1, abs(g[i, k])))
        }
      }
      #expect(worst < 1e-7, "finite-difference mismatch \(worst)")
    }
  }

  /// The Mix3 sampler's sample mean and covariance against the mixture's closed forms.
  @Test(arguments: [2, 16])
  func mixtureSamplerMatchesItsMoments(d: Int) throws {
    let mixture = try W2BenchmarkPair.load(dimension: d).source
    var rng = SeededRandom(seed: 11)
    let n = 200_000
    let x = mixture.sample(n, using: &rng)
    let fitted = try Gaussian(fitting: x)
    let mean = mixture.mean, covariance = mixture.covariance
    // Mean: within 5 standard errors per coordinate.
    for k in 0..<d {
      let se = (covariance[k, k] / Double(n)).squareRoot()
      #expect(abs(fitted.mean[k] - mean[k]) < 5 * se, "d = \(d), coordinate \(k)")
    }
    // Covariance: each entry within 5 standard errors (a Gaussian bound inflated ×2 for the mixture's tails).
    var worst = 0.0
    for i in 0..<d {
      for j in 0..<d {
        let se = 2 * ((covariance[i, i] * covariance[j, j] + covariance[i, j] * covariance[i, j]) / Double(n)).squareRoot()
        worst = max(worst, abs(fitted.covariance[i, j] - covariance[i, j]) / se)
      }
    }
    #expect(worst < 5, "d = \(d): worst covariance entry off by \(worst) standard errors")
    // Three components with equal weight: the sample lands near each centre about n/3 times.
    #expect(mixture.components == 3)
    #expect(abs(mixture.totalVariance - W2BenchmarkPair.totalVariance(x)) < 0.02 * mixture.totalVariance)
  }

  /// Same seed, same points; the target is T of fresh source points.
  @Test func samplingIsSeeded() throws {
    let pair = try W2BenchmarkPair.load(dimension: 2)
    var a = SeededRandom(seed: 3), b = SeededRandom(seed: 3)
    #expect(pair.sampleSource(100, using: &a) == pair.sampleSource(100, using: &b))
    #expect(pair.sampleTarget(100, using: &a) == pair.sampleTarget(100, using: &b))
  }

  /// The linear map's forward UVP reproduces the paper's "L" row (recomputed
  /// values in the data's README: 14.0 at d = 2, 27.1 at d = 8).
  @Test func linearMapMatchesThePublishedRow() throws {
    for (d, published) in [(2, 14.0), (8, 27.1)] {
      let test = try W2BenchmarkRunner.TestSet(pair: try W2BenchmarkPair.load(dimension: d), points: 16384)
      #expect(abs(test.linear.forwardUVP - published) < 1.0, "d = \(d): \(test.linear.forwardUVP)")
    }
  }
}

/// Where the files are looked for, and what a user sees when they are not there.
@Suite struct W2BenchmarkFilesTests {
  @Test func missingFilesNameEveryPlaceSearchedAndTheFix() throws {
    let roots = ["/nonexistent/ncf-data-a", "/nonexistent/ncf-data-b"]
    #expect(throws: W2BenchmarkError.filesNotFound(
      dimension: 8, searched: roots.map { $0 + "/benchmarks/w2-mix3to10/d8" })) {
      try W2BenchmarkFiles.directory(dimension: 8, searching: roots)
    }
    do {
      _ = try W2BenchmarkPair.load(dimension: 8, searching: roots)
      Issue.record("loading from missing directories succeeded")
    } catch {
      #expect(error.description.contains("/nonexistent/ncf-data-b/benchmarks/w2-mix3to10/d8"))
      #expect(error.description.contains("NCF_DATA_DIR"))
    }
  }

  @Test func unknownDimensionIsRefused() {
    #expect(throws: W2BenchmarkError.unknownDimension(3)) { try W2BenchmarkFiles.directory(dimension: 3) }
  }

  /// NCF_DATA_DIR comes first; the source checkout is always on the path.
  @Test func environmentVariableComesFirst() {
    let path = W2BenchmarkFiles.searchPath(environment: ["NCF_DATA_DIR": "/tmp/my-data"])
    #expect(path.first == "/tmp/my-data")
    #expect(path.last?.hasSuffix("/data") == true)
    #expect(!W2BenchmarkFiles.searchPath(environment: [:]).contains("/tmp/my-data"))
  }

  /// A folder with the metadata but a missing weight file names that file.
  @Test func incompleteFolderNamesTheMissingFile() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-w2-\(UUID().uuidString)")
    let folder = root.appendingPathComponent("benchmarks/w2-mix3to10/d2")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let original = try W2BenchmarkFiles.directory(dimension: 2)
    try FileManager.default.copyItem(at: original.appendingPathComponent("benchmark.json"),
                                     to: folder.appendingPathComponent("benchmark.json"))
    #expect(try W2BenchmarkFiles.directory(dimension: 2, searching: [root.path]).path == folder.path)
    do {
      _ = try W2BenchmarkPair.load(dimension: 2, searching: [root.path])
      Issue.record("an incomplete folder loaded")
    } catch {
      guard case .badFile(let path, _) = error else { Issue.record("unexpected \(error)"); return }
      #expect(path.hasSuffix("source.centers.npy"))
    }
  }
}
