import NCFTensor
import NCFTransport
import NCFData
import NCFFlows
import NCFBenchmarks

/// The built-in datasets, by name: the registry every command and library
/// user goes through (`ncf datasets`, `ncf sample`, `ncf demo`).
///
/// - the 2-D generators of ``Toy2D`` (`gaussian`, `moons`, …);
/// - one side of the Gaussian benchmark pair in dimension D, written
///   `gaussian-benchmark-D` with an optional `:source` or `:target` suffix;
///   without a suffix the side is chosen by the caller (`defaultSide`);
/// - one side of the Wasserstein-2 benchmark pair (Mix3toMix10, ``W2BenchmarkPair``)
///   in dimension D ∈ {2, 4, …, 128}, written `w2-D` with the same suffixes.
///
/// To add a family: a case, its
/// name in ``init(named:)`` and ``description``, its lines in ``catalog``,
/// and its sampling in ``sample(n:seed:defaultSide:)`` and ``sampler(defaultSide:)``.
public enum BuiltInDataset: Sendable, Hashable, CustomStringConvertible {
  case toy(Toy2D)
  case gaussianBenchmark(dimension: Int, side: Side?)
  case w2Benchmark(dimension: Int, side: Side?)

  /// A side of a pair.
  public enum Side: String, Sendable { case source, target }

  static let benchmarkPrefix = "gaussian-benchmark-"
  static let w2Prefix = "w2-"

  /// Parses a name (case-insensitive).
  /// - Throws: ``BuiltInDatasetError`` naming the valid names.
  public init(named name: String) throws(BuiltInDatasetError) {
    let lower = name.lowercased()
    if lower.hasPrefix(Self.w2Prefix) {
      let parts = lower.dropFirst(Self.w2Prefix.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      let dimensions = W2BenchmarkFiles.dimensions.map(String.init).joined(separator: ", ")
      guard let d = Int(parts[0]), W2BenchmarkFiles.dimensions.contains(d) else {
        throw BuiltInDatasetError(description: "dataset '\(name)': expected w2-D with D one of \(dimensions)")
      }
      self = .w2Benchmark(dimension: d, side: try Self.side(parts, name: name))
      return
    }
    if lower.hasPrefix(Self.benchmarkPrefix) {
      let rest = lower.dropFirst(Self.benchmarkPrefix.count)
      let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      guard let d = Int(parts[0]), d >= 1, d <= 4096 else {
        throw BuiltInDatasetError(description: "dataset '\(name)': expected gaussian-benchmark-D with a dimension D between 1 and 4096")
      }
      self = .gaussianBenchmark(dimension: d, side: try Self.side(parts, name: name))
      return
    }
    guard let toy = try? Toy2D.named(name) else {
      throw BuiltInDatasetError(description: "unknown dataset '\(name)'; valid names: \(Toy2D.allCases.map(\.name).joined(separator: ", ")), gaussian-benchmark-D[:source|:target], w2-D[:source|:target] (see ncf datasets)")
    }
    self = .toy(toy)
  }

  /// The side named by the suffix after the dimension, if any.
  private static func side(_ parts: [Substring], name: String) throws(BuiltInDatasetError) -> Side? {
    guard parts.count == 2 else { return nil }
    guard let s = Side(rawValue: String(parts[1])) else {
      throw BuiltInDatasetError(description: "dataset '\(name)': the suffix must be :source or :target")
    }
    return s
  }

  /// The listing of `ncf datasets`.
  public static var catalog: String {
    """
    2-D generators (seeded; bit-identical on every platform):
    \(Toy2D.catalog.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))

    Gaussian benchmark pairs, any dimension D ≥ 1 (zero means, covariances with eigenvalues in [1/2, 2],
    one fixed seed per D; the optimal map is known in closed form, see ncf eval --gaussian-benchmark D):
      gaussian-benchmark-D:source   the source N(0, Σ₀) of the pair in dimension D
      gaussian-benchmark-D:target   the target N(0, Σ₁)
      gaussian-benchmark-D          the pair: source side for --dataset, target side for --target-dataset;
                                    ncf demo --dataset gaussian-benchmark-2 trains on the 2-D pair

    Wasserstein-2 benchmark pairs "Mix3toMix10" (Korotin et al. 2021), D = \(W2BenchmarkFiles.dimensions.map(String.init).joined(separator: ", "))
    (the optimal map T is the gradient of a known convex network; scores: ncf bench w2):
      w2-D:source                   the source μ, a mixture of 3 Gaussians
      w2-D:target                   the target T♯μ (T of source points drawn independently of w2-D:source)
      w2-D                          the pair, sides chosen as for gaussian-benchmark-D
    The weights are read from data/benchmarks/w2-mix3to10 (or $NCF_DATA_DIR/benchmarks/w2-mix3to10).
    """
  }

  public var dimension: Int {
    switch self {
    case .toy: return 2
    case .gaussianBenchmark(let d, _), .w2Benchmark(let d, _): return d
    }
  }

  public var description: String {
    switch self {
    case .toy(let t): return t.name
    case .gaussianBenchmark(let d, let side): return Self.benchmarkPrefix + "\(d)" + (side.map { ":\($0.rawValue)" } ?? "")
    case .w2Benchmark(let d, let side): return Self.w2Prefix + "\(d)" + (side.map { ":\($0.rawValue)" } ?? "")
    }
  }

  /// The target that goes with `self` as a source when none is named: the
  /// other side of a benchmark pair, else `8gaussians`.
  public var defaultTarget: BuiltInDataset {
    if case .gaussianBenchmark(let d, _) = self { return .gaussianBenchmark(dimension: d, side: .target) }
    if case .w2Benchmark(let d, _) = self { return .w2Benchmark(dimension: d, side: .target) }
    return .toy(.eightGaussians)
  }

  /// The closed-form pair when `source` and `target` are the two sides of
  /// one Gaussian benchmark pair (so maps can be scored against it).
  public static func gaussianPair(source: BuiltInDataset, target: BuiltInDataset) throws -> GaussianOT? {
    guard case .gaussianBenchmark(let d, let s) = source, case .gaussianBenchmark(let e, let t) = target,
          d == e, (s ?? .source) == .source, (t ?? .target) == .target else { return nil }
    return try GaussianBenchmark.pair(dimension: d)
  }

  /// Whether this names a benchmark pair without choosing a side.
  public var isPairWithoutSide: Bool {
    switch self {
    case .gaussianBenchmark(_, nil), .w2Benchmark(_, nil): return true
    default: return false
    }
  }

  /// `n` seeded samples; `defaultSide` picks the side of a benchmark pair named without a suffix.
  /// The W2 target side uses its own stream, so `w2-D:source` and `w2-D:target`
  /// with the same seed are independent draws (not the optimal pairs x, T(x)).
  /// - Throws: ``W2BenchmarkError`` when the W2 files are missing.
  public func sample(n: Int, seed: UInt64, defaultSide: Side) throws -> Tensor<Double> {
    switch self {
    case .toy(let t):
      return t.sample(n: n, seed: seed)
    case .gaussianBenchmark(let d, let side):
      let pair = try GaussianBenchmark.pair(dimension: d)
      var rng = SeededRandom(seed: seed)
      return (side ?? defaultSide) == .source ? pair.source.sample(n, using: &rng) : pair.target.sample(n, using: &rng)
    case .w2Benchmark(let d, let side):
      let pair = try W2BenchmarkPair.load(dimension: d)
      if (side ?? defaultSide) == .source {
        var rng = SeededRandom(seed: seed)
        return pair.sampleSource(n, using: &rng)
      }
      var rng = SeededRandom(seed: seed ^ 0x7A26_E7_5EED)
      return pair.sampleTarget(n, using: &rng)
    }
  }

  /// A training source with fresh samples every step.
  public func sampler(defaultSide: Side) throws -> SampleSource {
    switch self {
    case .toy(let t):
      return .sampler(dimension: 2) { n, rng in t.sample(n: n, seed: rng.next()) }
    case .gaussianBenchmark(let d, let side):
      let pair = try GaussianBenchmark.pair(dimension: d)
      let gaussian = (side ?? defaultSide) == .source ? pair.source : pair.target
      return .sampler(dimension: d) { n, rng in gaussian.sample(n, using: &rng) }
    case .w2Benchmark(let d, let side):
      let pair = try W2BenchmarkPair.load(dimension: d)
      if (side ?? defaultSide) == .source { return .sampler(dimension: d) { n, rng in pair.sampleSource(n, using: &rng) } }
      return .sampler(dimension: d) { n, rng in pair.sampleTarget(n, using: &rng) }
    }
  }
}

/// A dataset name that ``BuiltInDataset/init(named:)`` does not know.
public struct BuiltInDatasetError: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String
}
