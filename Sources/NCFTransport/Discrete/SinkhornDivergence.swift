import NCFTensor

/// The debiased Sinkhorn divergence between two weighted point clouds
/// (Genevay et al. 2018; Feydy et al. 2019):
///
///     S_ε(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β),
///
/// where OT_ε is the entropic cost with KL relative to the product of the
/// marginals (``SinkhornOutput/dualCost``). S_ε(α, α) = 0, S_ε ≥ 0 for
/// costs like ‖x − y‖² and ‖x − y‖, and S_ε interpolates between OT (ε → 0)
/// and an MMD (ε → ∞).
///
/// The two self terms use the symmetric iteration (``Sinkhorn/symmetric(_:)``), and so
/// does the cross term when the two inputs are identical.
/// Convergence of the three inner problems is reported in the output, never thrown.
public struct SinkhornDivergence: Sendable {
  /// The solver used for the three problems (its ε, tolerance, cap and scaling).
  public var sinkhorn: Sinkhorn
  /// The cost between points (default ‖x − y‖², no ½).
  public var cost: Cost

  public init(sinkhorn: Sinkhorn, cost: Cost = .sqeuclidean) {
    self.sinkhorn = sinkhorn
    self.cost = cost
  }

  /// S_ε between the points `x` (n×d, weights `a`) and `y` (m×d, weights `b`);
  /// `nil` weights are uniform.
  /// - Throws: ``DiscreteOTError`` for invalid weights or unequal totals.
  /// - Complexity: three Sinkhorn solves, O((n + m)²) time per iteration and
  ///   O((n + m)²) memory for the cost matrices.
  public func callAsFunction(
    _ x: Tensor<Double>, _ y: Tensor<Double>, a: [Double]? = nil, b: [Double]? = nil
  ) throws -> SinkhornDivergenceOutput {
    let xy = try DiscreteOTProblem(source: x, target: y, a: a, b: b, cost: cost)
    let xx = try DiscreteOTProblem(a: xy.a, b: xy.a, cost: cost.matrix(x, x))
    let yy = try DiscreteOTProblem(a: xy.b, b: xy.b, cost: cost.matrix(y, y))
    let source = sinkhorn.symmetric(xx)
    // Identical inputs: the cross problem is the self problem (S_ε = 0 exactly).
    if x == y && xy.a == xy.b { return SinkhornDivergenceOutput(cross: source, source: source, target: source) }
    return SinkhornDivergenceOutput(cross: sinkhorn(xy), source: source, target: sinkhorn.symmetric(yy))
  }
}

/// The three entropic problems behind a Sinkhorn divergence and its value.
public struct SinkhornDivergenceOutput: Sendable {
  /// OT_ε(α, β).
  public let cross: SinkhornOutput
  /// OT_ε(α, α).
  public let source: SinkhornOutput
  /// OT_ε(β, β).
  public let target: SinkhornOutput

  /// S_ε = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β).
  public var value: Double { cross.dualCost - 0.5 * source.dualCost - 0.5 * target.dualCost }
  /// True when all three solves converged.
  public var converged: Bool { cross.converged && source.converged && target.converged }
}
