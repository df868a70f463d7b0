import NCFTensor
import NCFTransport

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

/// A transport problem for the NCF solver (``NCFSolver``): source μ and
/// target ν, given as samples or samplers, optionally labelled for
/// class-conditional transport (μ_k → ν_k for every class k; labels need
/// fixed samples), and the cost. Data only, like ``DiscreteOTProblem``.
public struct NCFProblem: Sendable {
  public var source: SampleSource
  public var target: SampleSource
  /// One label per source row (class-conditional transport), or nil.
  public var sourceLabels: [Int]?
  /// One label per target row, or nil.
  public var targetLabels: [Int]?
  /// The transport cost; nil when the problem has a user-supplied Hamiltonian.
  public let cost: Cost?
  /// The Hamiltonian the solver trains with: the cost's (nil when NCF cannot
  /// train with the cost, see ``Cost/ncfRefusal``) or the user's.
  public let hamiltonian: (any Hamiltonian)?

  /// A problem under one of the package's costs (default: `quadratic`, ½‖x − y‖²).
  public init(
    source: SampleSource, target: SampleSource, sourceLabels: [Int]? = nil, targetLabels: [Int]? = nil,
    cost: Cost = .quadratic
  ) {
    self.source = source
    self.target = target
    self.sourceLabels = sourceLabels
    self.targetLabels = targetLabels
    self.cost = cost
    self.hamiltonian = cost.hamiltonian
  }

  /// A problem under a user-supplied Hamiltonian. Its model is normalised by
  /// a shift only (a general h need not be homogeneous) and cannot be saved.
  public init(
    source: SampleSource, target: SampleSource, sourceLabels: [Int]? = nil, targetLabels: [Int]? = nil,
    hamiltonian: any Hamiltonian
  ) {
    self.source = source
    self.target = target
    self.sourceLabels = sourceLabels
    self.targetLabels = targetLabels
    self.cost = nil
    self.hamiltonian = hamiltonian
  }

  /// Fixed samples in both directions.
  public init(
    source: Tensor<Double>, target: Tensor<Double>, sourceLabels: [Int]? = nil, targetLabels: [Int]? = nil,
    cost: Cost = .quadratic
  ) {
    self.init(source: .samples(source), target: .samples(target), sourceLabels: sourceLabels, targetLabels: targetLabels,
              cost: cost)
  }

  /// Space dimension d.
  public var dimension: Int { source.dimension }

  /// Whether the problem is class-conditional.
  public var isLabelled: Bool { sourceLabels != nil }

  /// The first inconsistency, or nil when the solver can run: dimensions,
  /// sample counts and finiteness, the cost, for labelled problems the
  /// label counts, the class sets (equal on both sides) and at least two
  /// samples per class and side, and last, for fixed samples, a side that
  /// is (nearly) a single point (``SampleSpread``).
  /// - Complexity: O((n + m)·d).
  public var issue: NCFProblemIssue? {
    if let issue = labelIssue { return issue }
    if case .samples(let s) = source, case .samples(let t) = target, let (side, collapse) = SampleSpread.collapse(source: s, target: t) {
      return .singlePoint(side, collapse)
    }
    return nil
  }

  /// ``issue`` up to and including the label checks.
  private var labelIssue: NCFProblemIssue? {
    if source.dimension != target.dimension { return .dimensionMismatch(source: source.dimension, target: target.dimension) }
    if source.dimension < 1 { return .noColumns }
    for (side, s) in [(NCFProblemIssue.Side.source, source), (.target, target)] {
      if case .samples(let t) = s {
        if t.rows < 2 { return .tooFewSamples(side, count: t.rows) }
        if let i = (0..<t.rows).first(where: { r in t.row(r).contains { !$0.isFinite } }) { return .nonFinite(side, row: i) }
      }
    }
    if hamiltonian == nil, let cost { return .untrainableCost(cost) }
    if (sourceLabels == nil) != (targetLabels == nil) { return .labelsOnOneSide }
    guard let a = sourceLabels, let b = targetLabels else { return nil }
    guard case .samples(let s) = source, case .samples(let t) = target else { return .labelsNeedFixedSamples }
    if a.count != s.rows { return .labelCount(.source, labels: a.count, samples: s.rows) }
    if b.count != t.rows { return .labelCount(.target, labels: b.count, samples: t.rows) }
    let ca = Set(a), cb = Set(b)
    if ca != cb { return .classSetsDiffer(onlySource: ca.subtracting(cb).sorted(), onlyTarget: cb.subtracting(ca).sorted()) }
    for (side, labels) in [(NCFProblemIssue.Side.source, a), (.target, b)] {
      var counts: [Int: Int] = [:]
      for l in labels { counts[l, default: 0] += 1 }
      if let (c, n) = counts.sorted(by: { $0.key < $1.key }).first(where: { $0.value < 2 }) {
        return .smallClass(side, label: c, count: n)
      }
    }
    return nil
  }
}

/// Why an ``NCFProblem`` cannot be solved; callers that know the files
/// behind each side name them in their own messages.
public enum NCFProblemIssue: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Side: String, Sendable { case source, target }

  case dimensionMismatch(source: Int, target: Int)
  case noColumns
  case tooFewSamples(Side, count: Int)
  case nonFinite(Side, row: Int)
  /// NCF cannot train with the cost (``Cost/ncfRefusal`` says why).
  case untrainableCost(Cost)
  case labelsOnOneSide
  case labelsNeedFixedSamples
  case labelCount(Side, labels: Int, samples: Int)
  case classSetsDiffer(onlySource: [Int], onlyTarget: [Int])
  /// A class with fewer than 2 samples on one side.
  case smallClass(Side, label: Int, count: Int)
  /// One side's points are (nearly) all the same point, which NCF cannot
  /// train with (``SampleSpread`` says why).
  case singlePoint(Side, SampleSpread.Collapse)

  public var description: String {
    switch self {
    case .dimensionMismatch(let a, let b): return "source has dimension \(a) but target has \(b)"
    case .noColumns: return "samples must have at least one column"
    case .tooFewSamples(let side, let n): return "\(side) needs at least 2 samples, got \(n)"
    case .nonFinite(let side, let row): return "\(side) row \(row) (0-based) contains NaN or infinity"
    case .untrainableCost(let cost): return "cost \(cost.name) (\(cost.formula)): \(cost.ncfRefusal ?? "not an NCF cost")"
    case .labelsOnOneSide: return "labels must be given for both source and target, or for neither"
    case .labelsNeedFixedSamples: return "labelled (class-conditional) problems need fixed samples"
    case .labelCount(let side, let labels, let samples): return "\(labels) \(side) labels for \(samples) \(side) samples"
    case .classSetsDiffer(let a, let b):
      return "source and target label sets differ (only in source: \(a), only in target: \(b))"
    case .smallClass(let side, let label, let n):
      return "class \(label) has \(n) \(side) sample\(n == 1 ? "" : "s"); every class needs at least 2 on each side"
    case .singlePoint(let side, let collapse): return SampleSpread.describe(collapse, side: side)
    }
  }

  /// Where each side's samples and labels come from (file names), for messages.
  public struct Origin: Sendable {
    public var source: String
    public var target: String
    public var sourceLabels: String?
    public var targetLabels: String?

    public init(source: String, target: String, sourceLabels: String? = nil, targetLabels: String? = nil) {
      (self.source, self.target, self.sourceLabels, self.targetLabels) = (source, target, sourceLabels, targetLabels)
    }

    func samples(_ side: Side) -> String { side == .source ? source : target }
    func labels(_ side: Side) -> String { (side == .source ? sourceLabels : targetLabels) ?? samples(side) }
  }

  /// One line that names the files the issue is about.
  public func message(naming files: Origin) -> String {
    switch self {
    case .labelCount(let side, let labels, let samples):
      return "\(files.labels(side)): \(labels) labels but \(files.samples(side)) has \(samples) samples"
    case .classSetsDiffer(let onlySource, let onlyTarget):
      let a = onlySource.map(String.init).joined(separator: ", "), b = onlyTarget.map(String.init).joined(separator: ", ")
      return "\(files.labels(.source)), \(files.labels(.target)): the label files have different classes (only in source: [\(a)]; only in target: [\(b)])"
    case .smallClass(let side, _, _):
      return "\(files.labels(side)): \(self)"
    case .nonFinite(let side, _), .tooFewSamples(let side, _), .singlePoint(let side, _):
      return "\(files.samples(side)): \(self)"
    default:
      return "\(files.source), \(files.target): \(self)"
    }
  }
}
