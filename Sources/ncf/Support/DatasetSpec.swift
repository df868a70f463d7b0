import NCFTensor
import NCFTransport
import NCFData

/// A built-in distribution named on the command line: one of the 2-D
/// generators (``Toy2D``), or one side of the Gaussian benchmark pair in
/// dimension D, written `gaussian-benchmark-D` with an optional `:source` or
/// `:target` suffix.
enum DatasetSpec: CustomStringConvertible {
  case toy(Toy2D)
  case gaussianBenchmark(dimension: Int, side: Side?)

  enum Side: String { case source, target }

  static let benchmarkPrefix = "gaussian-benchmark-"

  /// Parses a name.
  /// - Throws: ``CLIError`` listing the valid names.
  init(parsing name: String) throws {
    let lower = name.lowercased()
    if lower.hasPrefix(Self.benchmarkPrefix) {
      let rest = lower.dropFirst(Self.benchmarkPrefix.count)
      let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      guard let d = Int(parts[0]), d >= 1, d <= 4096 else {
        throw CLIError("dataset '\(name)': expected gaussian-benchmark-D with a dimension D between 1 and 4096")
      }
      var side: Side? = nil
      if parts.count == 2 {
        guard let s = Side(rawValue: String(parts[1])) else {
          throw CLIError("dataset '\(name)': the suffix must be :source or :target")
        }
        side = s
      }
      self = .gaussianBenchmark(dimension: d, side: side)
      return
    }
    do {
      self = .toy(try Toy2D.named(name))
    } catch {
      throw CLIError("unknown dataset '\(name)'; valid names: \(Toy2D.allCases.map(\.name).joined(separator: ", ")), gaussian-benchmark-D[:source|:target] (see ncf datasets)")
    }
  }

  var dimension: Int {
    switch self {
    case .toy: return 2
    case .gaussianBenchmark(let d, _): return d
    }
  }

  var description: String {
    switch self {
    case .toy(let t): return t.name
    case .gaussianBenchmark(let d, let side): return Self.benchmarkPrefix + "\(d)" + (side.map { ":\($0.rawValue)" } ?? "")
    }
  }

  /// The Gaussian pair, for benchmark datasets.
  func pair() throws -> GaussianOT? {
    guard case .gaussianBenchmark(let d, _) = self else { return nil }
    return try GaussianBenchmark.pair(dimension: d)
  }

  /// `n` seeded samples; `defaultSide` picks the side of a benchmark pair named without a suffix.
  func sample(n: Int, seed: UInt64, defaultSide: Side) throws -> Tensor<Double> {
    switch self {
    case .toy(let t):
      return t.sample(n: n, seed: seed)
    case .gaussianBenchmark(_, let side):
      guard let pair = try pair() else { return .zeros(rows: 0, columns: 0) }
      var rng = SeededRandom(seed: seed)
      return (side ?? defaultSide) == .source ? pair.source.sample(n, using: &rng) : pair.target.sample(n, using: &rng)
    }
  }

  /// A sampler closure for training (fresh points every step).
  func sampler(defaultSide: Side) throws -> @Sendable (Int, inout SeededRandom) -> Tensor<Double> {
    switch self {
    case .toy(let t):
      return { n, rng in t.sample(n: n, seed: rng.next()) }
    case .gaussianBenchmark(_, let side):
      guard let pair = try pair() else { return { _, _ in .zeros(rows: 0, columns: 0) } }
      let gaussian = (side ?? defaultSide) == .source ? pair.source : pair.target
      return { n, rng in gaussian.sample(n, using: &rng) }
    }
  }
}
