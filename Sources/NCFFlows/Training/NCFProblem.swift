import NCFTensor

/// Where training samples come from.
public enum SampleSource: Sendable {
  /// A fixed array of samples (n×d, user units): minibatches are drawn
  /// without replacement, reshuffling after every pass.
  case samples(Tensor<Double>)
  /// A sampler that returns n fresh samples (n×d, user units) each call; it
  /// must draw all its randomness from the generator it is given.
  case sampler(dimension: Int, @Sendable (Int, inout SeededRandom) -> Tensor<Double>)

  /// The dimension d of the samples.
  public var dimension: Int {
    switch self {
    case .samples(let t): return t.columns
    case .sampler(let d, _): return d
    }
  }
}

/// A transport problem for the NCF solver: source μ and target ν, given as
/// samples or samplers, optionally labelled for class-conditional transport
/// (μ_k → ν_k for every class k; labels need fixed samples).
public struct NCFProblem: Sendable {
  public var source: SampleSource
  public var target: SampleSource
  /// One label per source row (class-conditional transport), or nil.
  public var sourceLabels: [Int]?
  /// One label per target row, or nil.
  public var targetLabels: [Int]?

  public init(source: SampleSource, target: SampleSource, sourceLabels: [Int]? = nil, targetLabels: [Int]? = nil) {
    self.source = source
    self.target = target
    self.sourceLabels = sourceLabels
    self.targetLabels = targetLabels
  }

  /// Fixed samples in both directions.
  public init(source: Tensor<Double>, target: Tensor<Double>, sourceLabels: [Int]? = nil, targetLabels: [Int]? = nil) {
    self.init(source: .samples(source), target: .samples(target), sourceLabels: sourceLabels, targetLabels: targetLabels)
  }

  /// Space dimension d.
  public var dimension: Int { source.dimension }

  /// Whether the problem is class-conditional.
  public var isLabelled: Bool { sourceLabels != nil }

  /// Checks consistency; returns a one-line message for the first problem found.
  public func validationError() -> String? {
    if source.dimension != target.dimension {
      return "source has dimension \(source.dimension) but target has \(target.dimension)"
    }
    if source.dimension < 1 { return "samples must have at least one column" }
    for (name, s) in [("source", source), ("target", target)] {
      if case .samples(let t) = s {
        if t.rows < 2 { return "\(name) needs at least 2 samples, got \(t.rows)" }
        if let i = (0..<t.rows).first(where: { r in t.row(r).contains { !$0.isFinite } }) {
          return "\(name) row \(i) (0-based) contains NaN or infinity"
        }
      }
    }
    if (sourceLabels == nil) != (targetLabels == nil) { return "labels must be given for both source and target, or for neither" }
    if let a = sourceLabels, let b = targetLabels {
      guard case .samples(let s) = source, case .samples(let t) = target else {
        return "labelled (class-conditional) problems need fixed samples"
      }
      if a.count != s.rows { return "\(a.count) source labels for \(s.rows) source samples" }
      if b.count != t.rows { return "\(b.count) target labels for \(t.rows) target samples" }
      let ca = Set(a), cb = Set(b)
      if ca != cb {
        return "source and target label sets differ (only in source: \(ca.subtracting(cb).sorted()), only in target: \(cb.subtracting(ca).sorted()))"
      }
      for c in ca.sorted() {
        if a.filter({ $0 == c }).count < 2 || b.filter({ $0 == c }).count < 2 {
          return "class \(c) needs at least 2 samples on each side"
        }
      }
    }
    if case .samples(let s) = source, case .samples(let t) = target, let m = SampleSpread.degeneracyError(source: s, target: t) { return m }
    return nil
  }
}
