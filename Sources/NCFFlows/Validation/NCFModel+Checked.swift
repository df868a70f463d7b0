import NCFTensor

/// A model result that came out NaN or infinite. A model file can hold finite
/// weights that still overflow Float when the network runs (weights near
/// Float's maximum), and points far outside the training data can do the same,
/// so results must be checked where they are used, not only when loading.
public struct NonFiniteResultError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What was computed: "forward map", "backward map", "map to t = 0.5", …
  public var quantity: String
  /// The first input row (0-based) whose result is not finite, when the
  /// result is per row; nil for a summary quantity.
  public var row: Int?
  /// Whose points `row` counts: source-space points (the forward map and its
  /// interpolation) or target-space points (the backward map); nil when the
  /// result is not per row or the points are neither.
  public var side: NCFProblemIssue.Side?

  public init(quantity: String, row: Int?, side: NCFProblemIssue.Side? = nil) {
    self.quantity = quantity
    self.row = row
    self.side = side
  }

  public var description: String {
    let at = row.map { " at row \($0) (0-based) of the input" } ?? ""
    return "the \(quantity) is NaN or infinite\(at): the model's weights or the points overflow Float"
  }

  /// One line for a command: the model and, for a per-row result, the row
  /// and what it is a row of (`source` for source-space points, `target`
  /// for target-space points: file names, or words such as "the test samples").
  public func message(model: String, source: String, target: String) -> String {
    let at = row.map { " at row \($0) (0-based) of \(side == .target ? target : source)" } ?? ""
    return "\(model): the \(quantity) is NaN or infinite\(at); the model's weights or the points overflow Float"
  }

  /// The same error for a subset: row k of the subset is row `source[k]`
  /// (source-space points) or `target[k]` (target-space points) of the whole.
  public func inWhole(source: [Int], target: [Int]) -> NonFiniteResultError {
    guard let row else { return self }
    let rows = side == .target ? target : source
    return NonFiniteResultError(quantity: quantity, row: row < rows.count ? rows[row] : row, side: side)
  }
}

extension NCFModel {
  /// ``forward(_:)``, or an error naming the first row whose image is not finite.
  public func checkedForward(_ x: Tensor<Double>) throws(NonFiniteResultError) -> Tensor<Double> {
    try Self.requireFinite(forward(x), "forward map", side: .source)
  }

  /// ``backward(_:)``, or an error naming the first row whose image is not finite.
  public func checkedBackward(_ y: Tensor<Double>) throws(NonFiniteResultError) -> Tensor<Double> {
    try Self.requireFinite(backward(y), "backward map", side: .target)
  }

  /// ``interpolate(_:time:)``, or an error naming the first row that is not finite.
  /// - Precondition: 0 ≤ t ≤ t_f.
  public func checkedInterpolate(_ x: Tensor<Double>, time t: Double) throws(NonFiniteResultError) -> Tensor<Double> {
    try Self.requireFinite(interpolate(x, time: t), "map to t = \(t)", side: .source)
  }

  /// ``potential(_:time:)``, or an error naming the first row that is not finite.
  public func checkedPotential(_ x: Tensor<Double>, time t: Double) throws(NonFiniteResultError) -> Tensor<Double> {
    try Self.requireFinite(potential(x, time: t), "potential u(x, \(t))")
  }

  /// `values`, or an error naming `quantity` and the first row holding NaN or ±∞.
  /// - Complexity: O(values.count).
  public static func requireFinite(
    _ values: Tensor<Double>, _ quantity: String, side: NCFProblemIssue.Side? = nil
  ) throws(NonFiniteResultError) -> Tensor<Double> {
    if let bad = firstNonFiniteRow(values) { throw NonFiniteResultError(quantity: quantity, row: bad, side: side) }
    return values
  }

  /// The first row of `values` holding NaN or ±∞, or nil.
  /// - Complexity: O(values.count).
  public static func firstNonFiniteRow(_ values: Tensor<Double>) -> Int? {
    guard values.columns > 0, let k = values.scalars.firstIndex(where: { !$0.isFinite }) else { return nil }
    return k / values.columns
  }
}

extension NonFiniteResultError {
  /// Throws for the first of `quantities` (name, value) whose value is NaN or
  /// ±∞; nil values (not measured) pass.
  static func requireFinite(_ quantities: [(String, Double?)]) throws(NonFiniteResultError) {
    for (name, value) in quantities where value.map({ !$0.isFinite }) ?? false {
      throw NonFiniteResultError(quantity: name, row: nil)
    }
  }
}

extension TrainingCertificate {
  /// Every measured quantity checked: an error naming the first that is NaN
  /// or infinite (what `eval` must refuse to print as a result).
  public func requireFinite() throws(NonFiniteResultError) {
    try NonFiniteResultError.requireFinite([
      ("HJ residual", hjResidual), ("forward energy distance", forwardEnergyDistance),
      ("backward energy distance", backwardEnergyDistance), ("mean transport cost", transportCost),
    ])
  }
}

extension GaussianMapScores {
  /// Every score checked: an error naming the first that is NaN or infinite.
  public func requireFinite() throws(NonFiniteResultError) {
    try NonFiniteResultError.requireFinite([
      ("forward UVP", forwardUVP), ("backward UVP", backwardUVP),
      ("forward displacement cosine", forwardCosine), ("backward displacement cosine", backwardCosine),
    ])
  }
}
