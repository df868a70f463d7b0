import Foundation
import NCFTensor
import NCFData
import NCFTransport

/// One pair of the Wasserstein-2 benchmark "Mix3toMix10" (Korotin et al.,
/// NeurIPS 2021) in dimension d: the source μ, a 3-Gaussian mixture, and the
/// target ν = T♯μ with T = ∇ψ* the gradient of a convex potential
///
///     ψ*(x) = (ψ₁(x) + ψ₂(x) − ⟨m, x⟩) / √v,   ψ₁, ψ₂ dense ICNNs,
///
/// so T is the quadratic-cost OT map from μ to ν (Brenier) and maps can be
/// scored against it exactly. The weights are the authors' (see
/// data/benchmarks/w2-mix3to10/README.md).
public struct W2BenchmarkPair: Sendable {
  /// The dimension d.
  public let dimension: Int
  /// The source μ.
  public let source: GaussianMixture
  /// ψ₁ and ψ₂, in Double (the reference precision).
  public let potentials: [DenseICNN<Double>]
  /// The same networks in Float, for fast sampling.
  let floatPotentials: [DenseICNN<Float>]
  /// The standardising mean m and variance v.
  public let standardMean: [Double]
  public let standardVariance: Double

  /// Loads the pair of dimension `d` from the benchmark's files (see ``W2BenchmarkFiles``).
  /// - Throws: ``W2BenchmarkError``.
  public static func load(dimension d: Int, searching roots: [String] = W2BenchmarkFiles.searchPath())
    throws(W2BenchmarkError) -> W2BenchmarkPair
  {
    try W2BenchmarkPair(directory: W2BenchmarkFiles.directory(dimension: d, searching: roots), dimension: d)
  }

  /// Loads the pair from one `dD` folder.
  /// - Throws: ``W2BenchmarkError/badFile(path:reason:)``.
  public init(directory: URL, dimension d: Int) throws(W2BenchmarkError) {
    func array(_ name: String, shape: [Int]) throws(W2BenchmarkError) -> [Double] {
      let path = directory.appendingPathComponent(name + ".npy").path
      let read: (shape: [Int], values: [Double])
      do { read = try NPY.readArray(path: path) } catch { throw .badFile(path: path, reason: "\(error)") }
      guard read.shape == shape else {
        throw .badFile(path: path, reason: "shape \(read.shape), expected \(shape)")
      }
      return read.values
    }
    let metaPath = directory.appendingPathComponent("benchmark.json").path
    let meta: Metadata
    do {
      meta = try JSONDecoder().decode(Metadata.self, from: Data(contentsOf: URL(fileURLWithPath: metaPath)))
    } catch { throw .badFile(path: metaPath, reason: "\(error)") }
    guard meta.dim == d, meta.source.components >= 1, meta.icnn.hidden.count >= 1, meta.icnn.rank >= 1,
          meta.icnn.activation == "celu", meta.standardize.mean_var > 0
    else { throw .badFile(path: metaPath, reason: "unexpected contents (dimension \(meta.dim), activation \(meta.icnn.activation))") }

    let k = meta.source.components
    let centers = Tensor(rows: k, columns: d, scalars: try array("source.centers", shape: [k, d]))
    let stacked = try array("source.maps", shape: [k * d, d])
    let maps = (0..<k).map { Tensor(rows: d, columns: d, scalars: Array(stacked[($0 * d * d)..<(($0 + 1) * d * d)])) }
    source = GaussianMixture(centers: centers, maps: maps, scale: meta.source.std)

    let hidden = meta.icnn.hidden, rank = meta.icnn.rank
    var networks: [DenseICNN<Double>] = []
    for v in 1...2 {
      let prefix = "psi\(v)."
      var layers: [DenseICNN<Double>.QuadraticLayer] = []
      for (i, h) in hidden.enumerated() {
        let name = prefix + "quadratic_layers.\(i)."
        let a = try array(name + "quadratic_decomposed", shape: [d, rank, h])  // A[k, r, j] at (k·rank + r)·h + j
        let factors = (0..<rank).map { r in
          Tensor(rows: d, columns: h, scalars: (0..<(d * h)).map { a[(($0 / h) * rank + r) * h + $0 % h] })
        }
        let w = Tensor(rows: h, columns: d, scalars: try array(name + "weight", shape: [h, d]))
        let b = Tensor(row: try array(name + "bias", shape: [h]))
        layers.append(.init(factors: factors, weightTransposed: w.transposed(), bias: b))
      }
      var convex: [Tensor<Double>] = []
      for i in 0..<(hidden.count - 1) {
        let c = Tensor(rows: hidden[i + 1], columns: hidden[i],
                       scalars: try array(prefix + "convex_layers.\(i).weight", shape: [hidden[i + 1], hidden[i]]))
        convex.append(c.transposed())
      }
      let f = Tensor(row: try array(prefix + "final_layer.weight", shape: [1, hidden.last!]))
      networks.append(DenseICNN(quadraticLayers: layers, convexTransposed: convex, final: f,
                                strongConvexity: meta.icnn.strong_convexity))
    }
    potentials = networks
    floatPotentials = networks.map { $0.converted(to: Float.self) }
    standardMean = try array("standardize.mean", shape: [d])
    standardVariance = meta.standardize.mean_var
    dimension = d
  }

  /// The layout of `benchmark.json` (the fields used).
  private struct Metadata: Decodable {
    struct Source: Decodable { var components: Int; var std: Double }
    struct ICNN: Decodable { var hidden: [Int]; var rank: Int; var activation: String; var strong_convexity: Double }
    struct Standardize: Decodable { var mean_var: Double }
    var dim: Int
    var source: Source
    var icnn: ICNN
    var standardize: Standardize
  }

  /// The benchmark map T(x) = (∇ψ₁(x) + ∇ψ₂(x) − m)/√v at every row of `x`,
  /// computed in `S` (Double: the reference; Float: about 10⁻⁶ relative).
  /// - Precondition: `x.columns == dimension`.
  public func map<S: TensorScalar>(_ x: Tensor<S>) -> Tensor<S> {
    var g: Tensor<S>
    if S.self == Float.self {
      let xf = x.converted(to: Float.self)
      var gf = floatPotentials[0].gradient(xf)
      gf.add(floatPotentials[1].gradient(xf))
      g = gf.converted(to: S.self)
    } else {
      let xd = x.converted(to: Double.self)
      var gd = potentials[0].gradient(xd)
      gd.add(potentials[1].gradient(xd))
      g = gd.converted(to: S.self)
    }
    let scale = S(1 / standardVariance.squareRoot())
    let m = standardMean.map { S($0) }
    for i in 0..<g.rows { for k in 0..<g.columns { g[i, k] = (g[i, k] - m[k]) * scale } }
    return g
  }

  /// n seeded source samples.
  public func sampleSource(_ n: Int, using rng: inout SeededRandom) -> Tensor<Double> {
    source.sample(n, using: &rng)
  }

  /// n seeded target samples T(x), x fresh source samples; T in Float
  /// (training speed; 10⁻⁶ relative is far below any map's error).
  public func sampleTarget(_ n: Int, using rng: inout SeededRandom) -> Tensor<Double> {
    map(source.sample(n, using: &rng).converted(to: Float.self)).converted(to: Double.self)
  }

  /// Var(ν), the forward UVP normaliser: the summed per-coordinate variance of
  /// `samples` target points from a fixed seed (ν has no closed form).
  public func targetTotalVariance(samples: Int = 1 << 16) -> Double {
    var rng = SeededRandom(seed: 0x5641_524E_5500 &+ UInt64(dimension))
    return Self.totalVariance(sampleTarget(samples, using: &rng))
  }

  /// Σₖ Var(column k) of a sample (1/(n − 1) normalisation).
  public static func totalVariance(_ x: Tensor<Double>) -> Double {
    let m = x.mean(alongAxis: 0).scalars
    var s = 0.0
    for i in 0..<x.rows { for k in 0..<x.columns { let e = x[i, k] - m[k]; s += e * e } }
    return s / Double(max(x.rows - 1, 1))
  }
}
