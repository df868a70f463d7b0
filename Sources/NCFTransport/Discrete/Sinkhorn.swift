import Foundation
import NCFTensor

/// Entropic optimal transport by log-domain Sinkhorn iterations with
/// ε-scaling (annealing ε from a large value down to the target).
///
/// Solves min_P ⟨P, C⟩ + ε·KL(P ‖ a⊗b) over couplings of a and b. The
/// optimum is Pᵢⱼ = aᵢ bⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε), and the iterations are the
/// block-coordinate ascent steps on the dual, in log-sum-exp form (stable for
/// any ε > 0):
///
///     fᵢ ← −ε log Σⱼ bⱼ exp((gⱼ − Cᵢⱼ)/ε),   gⱼ ← −ε log Σᵢ aᵢ exp((fᵢ − Cᵢⱼ)/ε).
///
/// Convention: potentials are relative to the reference measure a⊗b (as in
/// Feydy et al.'s Sinkhorn divergences), so zero weights need no special
/// case and OT_ε(a, a) is well defined. Potentials relative to the counting
/// measure are f̂ᵢ = fᵢ + ε log aᵢ, ĝⱼ = gⱼ + ε log bⱼ.
///
/// Convergence is **reported, not thrown** (``SinkhornOutput/converged``):
/// after each g-update the column marginals are exact and the row-marginal
/// error ‖P𝟙 − a‖₁ is measured for free from the next f-update; the loop stops
/// when it is ≤ `tolerance` × total mass at the target ε, after
/// `maxIterations`, or as soon as an error or potential is not finite.
///
/// Troubleshooting: a small ε needs more iterations (keep ε-scaling on);
/// the plan of a tiny ε approaches the exact plan, which
/// ``NetworkSimplex`` computes directly.
///
/// - Complexity: O(n·m) time per iteration (2·n·m exponentials), on both
///   cores for large problems; O(n·m) extra memory (a transposed copy of C).
public struct Sinkhorn: Sendable {
  /// ε-scaling schedule: ε₀, ε₀·factor, ε₀·factor², … down to the target ε.
  public struct Scaling: Sendable, Equatable {
    /// The first ε; `nil` means max |Cᵢⱼ| (never below the target).
    public var initialEpsilon: Double?
    /// Multiplier between stages, in (0, 1).
    public var factor: Double
    /// Iterations spent at most at each intermediate ε.
    public var iterationsPerStage: Int

    public init(initialEpsilon: Double? = nil, factor: Double = 0.5, iterationsPerStage: Int = 10) {
      precondition(factor > 0 && factor < 1, "ε-scaling factor must be in (0, 1)")
      precondition(iterationsPerStage >= 1, "iterationsPerStage must be ≥ 1")
      precondition(initialEpsilon.map { $0 > 0 } ?? true, "initial ε must be positive")
      self.initialEpsilon = initialEpsilon
      self.factor = factor
      self.iterationsPerStage = iterationsPerStage
    }
  }

  /// Target entropic regularisation ε > 0, in the units of the costs.
  public var epsilon: Double
  /// Stop when ‖P𝟙 − a‖₁ ≤ tolerance × total mass (columns are exact).
  public var tolerance: Double
  /// Cap on the total number of iterations (one f- and one g-update each), all stages together.
  public var maxIterations: Int
  /// ε-scaling schedule; `nil` runs at the target ε from the start.
  public var scaling: Scaling?

  public init(epsilon: Double, tolerance: Double = 1e-6, maxIterations: Int = 10_000, scaling: Scaling? = Scaling()) {
    precondition(epsilon > 0 && epsilon.isFinite, "ε must be positive and finite")
    precondition(tolerance >= 0, "tolerance must be ≥ 0")
    precondition(maxIterations >= 1, "maxIterations must be ≥ 1")
    self.epsilon = epsilon
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.scaling = scaling
  }

  /// The ε of each stage, the target last.
  func schedule(costScale: Double) -> [Double] {
    guard let s = scaling else { return [epsilon] }
    var eps = max(s.initialEpsilon ?? costScale, epsilon)
    var stages: [Double] = []
    while eps > epsilon * (1 + 1e-12) && stages.count < 200 {
      stages.append(eps)
      eps *= s.factor
    }
    stages.append(epsilon)
    return stages
  }

  /// The default ε for `problem`: 1% of the mean cost (10⁻³ when that is 0),
  /// a regularisation small enough for a plan close to the exact one and
  /// large enough to converge in a few hundred iterations.
  public static func defaultEpsilon(for problem: DiscreteOTProblem) -> Double {
    let meanCost = problem.cost.scalars.reduce(0, +) / Double(max(problem.cost.count, 1))
    let epsilon = 0.01 * abs(meanCost)
    return epsilon > 0 ? epsilon : 1e-3
  }

  /// Runs Sinkhorn on `problem`, optionally warm-started from potentials
  /// (same convention as the output's).
  public func callAsFunction(_ problem: DiscreteOTProblem, initial: (f: [Double], g: [Double])? = nil) -> SinkhornOutput {
    let n = problem.sourceCount, m = problem.targetCount
    if let initial {
      precondition(initial.f.count == n && initial.g.count == m, "warm start: potentials have the wrong lengths")
    }
    let c = problem.cost
    let ct = c.transposed()
    let logA = problem.a.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
    let logB = problem.b.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
    var f = initial?.f ?? [Double](repeating: 0, count: n)
    var g = initial?.g ?? [Double](repeating: 0, count: m)
    let run = annealing(problem, f: &f) { f, eps in
      // Columns exact for the current f before the error is measured.
      Self.update(&g, other: f, logOther: logA, costRowsAreOther: ct, epsilon: eps)
      return g.allSatisfy(\.isFinite)
    } propose: { next, _, eps in
      Self.update(&next, other: g, logOther: logB, costRowsAreOther: c, epsilon: eps)
    } accept: { f, next, eps in
      swap(&f, &next)
      Self.update(&g, other: f, logOther: logA, costRowsAreOther: ct, epsilon: eps)
      return g.allSatisfy(\.isFinite)
    }
    return SinkhornOutput(
      problem: problem, f: f, g: g, epsilon: run.epsilon, targetEpsilon: epsilon, converged: run.converged,
      diverged: run.diverged, iterations: run.iterations, marginalError: run.lastError, errors: run.errors,
      tolerance: tolerance)
  }

  /// Runs the symmetric Sinkhorn iteration for a problem whose two marginals
  /// coincide and whose cost matrix is symmetric (OT_ε(α, α)): the optimum
  /// has f = g, reached by the averaged update f ← ½(f + T_ε(f)) with
  /// T_ε(f)ᵢ = −ε log Σⱼ aⱼ exp((fⱼ − Cᵢⱼ)/ε), which converges in a few
  /// iterations where the alternating updates can crawl.
  ///
  /// The output is reported like ``callAsFunction(_:initial:)``'s, with f = g.
  /// - Precondition: `problem.a == problem.b` and a square cost matrix (its
  ///   symmetry is the caller's responsibility, e.g. C = cost(x, x)).
  public func symmetric(_ problem: DiscreteOTProblem) -> SinkhornOutput {
    precondition(problem.a == problem.b && problem.cost.rows == problem.cost.columns,
                 "symmetric Sinkhorn needs equal marginals and a square cost matrix")
    let c = problem.cost
    let logA = problem.a.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
    var f = [Double](repeating: 0, count: problem.sourceCount)
    let run = annealing(problem, f: &f) { _, _ in true } propose: { next, f, eps in
      Self.update(&next, other: f, logOther: logA, costRowsAreOther: c, epsilon: eps)
    } accept: { f, next, _ in
      for i in 0..<f.count { f[i] = 0.5 * (f[i] + next[i]) }
      return true
    }
    return SinkhornOutput(
      problem: problem, f: f, g: f, epsilon: run.epsilon, targetEpsilon: epsilon, converged: run.converged,
      diverged: run.diverged, iterations: run.iterations, marginalError: run.lastError, errors: run.errors,
      tolerance: tolerance)
  }

  /// How an ε-scaling run ended.
  struct Annealing {
    var epsilon: Double
    var converged = false
    var diverged = false
    var iterations = 0
    var errors: [Double] = []
    var lastError = Double.infinity
  }

  /// The ε-scaling loop that both update rules share: for each ε of the
  /// schedule, `beginStage(f, ε)` (false: diverged), then iterations of
  /// `propose(&next, f, ε)` (the next f), the row-marginal error of P(f, g), and
  /// `accept(&f, &next, ε)` (false: diverged), until the error reaches the tolerance at the
  /// target ε, a stage's iteration budget is spent, or `maxIterations`.
  ///
  /// The row sums of P(f, g) are aᵢ·exp((fᵢ − nextᵢ)/ε), so the error is
  /// measured for free from the proposal.
  func annealing(
    _ problem: DiscreteOTProblem, f: inout [Double], beginStage: ([Double], Double) -> Bool,
    propose: (inout [Double], [Double], Double) -> Void, accept: (inout [Double], inout [Double], Double) -> Bool
  ) -> Annealing {
    let n = problem.sourceCount
    let mass = problem.totalMass
    let stages = schedule(costScale: problem.cost.maxAbs())
    var next = [Double](repeating: 0, count: n)
    var run = Annealing(epsilon: stages[0])
    stageLoop: for (s, eps) in stages.enumerated() {
      let isFinal = s == stages.count - 1
      run.epsilon = eps
      if !beginStage(f, eps) { run.diverged = true; break }
      var stageIterations = 0
      while run.iterations < maxIterations {
        propose(&next, f, eps)
        var err = 0.0
        for i in 0..<n where problem.a[i] > 0 { err += abs(problem.a[i] * Foundation.expm1((f[i] - next[i]) / eps)) }
        run.errors.append(err)
        run.lastError = err
        if !err.isFinite || !next.allSatisfy(\.isFinite) { run.diverged = true; break stageLoop }
        if isFinal && err <= tolerance * mass { run.converged = true; break stageLoop }
        if !isFinal && (stageIterations >= scaling!.iterationsPerStage || err <= tolerance * mass) { break }
        let finite = accept(&f, &next, eps)
        run.iterations += 1
        stageIterations += 1
        if !finite { run.diverged = true; break stageLoop }
      }
      if run.iterations >= maxIterations { break }
    }
    return run
  }

  /// out_r = −ε log Σ_k exp(logOther_k + (other_k − K[r, k])/ε) for each row r of K.
  static func update(
    _ out: inout [Double], other: [Double], logOther: [Double], costRowsAreOther k: Tensor<Double>, epsilon eps: Double
  ) {
    let rows = k.rows, cols = k.columns
    let h = (0..<cols).map { logOther[$0] + other[$0] / eps }
    let inv = 1 / eps
    out.withUnsafeMutableBufferPointer { op in
      k.scalars.withUnsafeBufferPointer { kp in
        h.withUnsafeBufferPointer { hp in
          nonisolated(unsafe) let op = op, kp = kp, hp = hp
          Parallel.ranges(rows, minimumWork: rows * cols, grain: 1 << 15) { lo, hi in
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(cols, 1))
            defer { buffer.deallocate() }
            let vInv = SIMD4<Double>(repeating: inv)
            for r in lo..<hi {
              let row = kp.baseAddress! + r * cols
              var q = 0
              while q + 4 <= cols {
                let kv = UnsafeRawPointer(row + q).loadUnaligned(as: SIMD4<Double>.self)
                let hv = UnsafeRawPointer(hp.baseAddress! + q).loadUnaligned(as: SIMD4<Double>.self)
                UnsafeMutableRawPointer(buffer + q).storeBytes(of: hv - kv * vInv, as: SIMD4<Double>.self)
                q += 4
              }
              while q < cols { buffer[q] = hp[q] - row[q] * inv; q += 1 }
              op[r] = negativeScaledLogSumExp(buffer, cols, epsilon: eps)
            }
          }
        }
      }
    }
  }
}

/// The result of ``Sinkhorn``: potentials, convergence report, and the
/// plan and costs derived from them.
public struct SinkhornOutput: Sendable {
  /// The problem that was solved (kept to evaluate the plan).
  public let problem: DiscreteOTProblem
  /// Source potential f (length n), relative to the reference a⊗b.
  public let f: [Double]
  /// Target potential g (length m), relative to the reference a⊗b.
  public let g: [Double]
  /// The ε that f and g belong to: the target ε, unless `maxIterations` or
  /// a divergence stopped the ε-scaling before it got there.
  public let epsilon: Double
  /// The ε that was asked for.
  public let targetEpsilon: Double
  /// True when the marginal error reached the tolerance at the target ε.
  public let converged: Bool
  /// True when a potential or an error became non-finite (the loop stopped there).
  public let diverged: Bool
  /// Iterations done, all ε stages together (one f- and one g-update each).
  public let iterations: Int
  /// ‖P𝟙 − a‖₁ at the returned potentials (Pᵀ𝟙 = b holds to rounding).
  public let marginalError: Double
  /// The row-marginal error measured at every iteration, all stages together.
  public let errors: [Double]
  /// The tolerance that was asked for (relative to the total mass).
  public let tolerance: Double
  /// ⟨P, C⟩, the transport cost of the entropic plan.
  public let transportCost: Double
  /// The primal objective ⟨P, C⟩ + ε·KL(P ‖ a⊗b).
  public let primalCost: Double
  /// The dual objective ⟨a, f⟩ + ⟨b, g⟩ − ε(Σ P − Σa·Σb); equal to the
  /// primal objective at convergence, and the value used by ``SinkhornDivergence``.
  public let dualCost: Double

  init(
    problem: DiscreteOTProblem, f: [Double], g: [Double], epsilon: Double, targetEpsilon: Double,
    converged: Bool, diverged: Bool, iterations: Int, marginalError: Double, errors: [Double], tolerance: Double
  ) {
    self.problem = problem
    self.f = f
    self.g = g
    self.epsilon = epsilon
    self.targetEpsilon = targetEpsilon
    self.converged = converged
    self.diverged = diverged
    self.iterations = iterations
    self.marginalError = marginalError
    self.errors = errors
    self.tolerance = tolerance
    // One pass over the plan for ⟨P, C⟩, Σ P and Σ P log(P/(ab)).
    let n = problem.sourceCount, m = problem.targetCount
    var transport = 0.0, total = 0.0, entropy = 0.0
    for i in 0..<n where problem.a[i] > 0 {
      for j in 0..<m where problem.b[j] > 0 {
        let c = problem.cost[i, j]
        let z = (f[i] + g[j] - c) / epsilon
        let p = problem.a[i] * problem.b[j] * Foundation.exp(z)
        transport += p * c
        total += p
        entropy += p * z
      }
    }
    let massA = problem.a.reduce(0, +), massB = problem.b.reduce(0, +)
    transportCost = transport
    primalCost = transport + epsilon * (entropy - total + massA * massB)
    let af = zip(problem.a, f).reduce(0) { $0 + $1.0 * $1.1 }
    let bg = zip(problem.b, g).reduce(0) { $0 + $1.0 * $1.1 }
    dualCost = af + bg - epsilon * (total - massA * massB)
  }

  /// The dense plan Pᵢⱼ = aᵢ bⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε).
  /// - Complexity: O(n·m) time and memory.
  public var plan: Tensor<Double> {
    let n = problem.sourceCount, m = problem.targetCount
    return Tensor(rows: n, columns: m) { out in
      for i in 0..<n {
        for j in 0..<m {
          let z = (f[i] + g[j] - problem.cost[i, j]) / epsilon
          out[i * m + j] = problem.a[i] * problem.b[j] * Foundation.exp(z)
        }
      }
    }
  }

  /// The plan's nonzero entries, row by row (as ``ExactOTOutput/support``;
  /// an entropic plan is dense).
  /// - Complexity: O(n·m) time and memory.
  public var support: [PlanEntry] {
    let p = plan
    var entries: [PlanEntry] = []
    for i in 0..<p.rows {
      for j in 0..<p.columns where p[i, j] > 0 { entries.append(PlanEntry(row: i, column: j, mass: p[i, j])) }
    }
    return entries
  }

  /// The out-of-sample entropic map for the targets `y` of this problem,
  /// assuming the costs were c(x, y) = scale·‖x − y‖² (see ``EntropicMap``).
  /// - Precondition: `target.rows` equals the number of target weights.
  public func entropicMap(target: Tensor<Double>, squaredEuclideanScale scale: Double = 1) -> EntropicMap {
    EntropicMap(target: target, targetWeights: problem.b, potential: g, epsilon: epsilon, squaredEuclideanScale: scale)
  }
}

/// The entropic (barycentric) transport map of Pooladian & Niles-Weed,
/// defined for any x from a Sinkhorn target potential g:
///
///     T(x) = Σⱼ wⱼ(x) yⱼ,   wⱼ(x) = softmaxⱼ( log bⱼ + (gⱼ − c(x, yⱼ))/ε ),
///
/// for the cost c(x, y) = scale·‖x − y‖². With potentials relative to the
/// counting measure (ĝⱼ = gⱼ + ε log bⱼ) this is softmaxⱼ((ĝⱼ − c(x, yⱼ))/ε).
/// On a source point xᵢ of the problem it is the barycentric projection of
/// the plan, Σⱼ Pᵢⱼ yⱼ / aᵢ; as ε → 0 it tends to the OT (Brenier) map.
public struct EntropicMap: Sendable {
  /// Target points yⱼ (m×d).
  public let target: Tensor<Double>
  /// log bⱼ + gⱼ/ε for every target point.
  public let logits: [Double]
  public let epsilon: Double
  /// The factor s in c(x, y) = s·‖x − y‖².
  public let scale: Double

  /// - Precondition: `target.rows == targetWeights.count == potential.count`, ε > 0, scale > 0.
  public init(
    target: Tensor<Double>, targetWeights b: [Double], potential g: [Double], epsilon: Double,
    squaredEuclideanScale scale: Double = 1
  ) {
    precondition(target.rows == b.count && b.count == g.count, "entropic map: \(target.rows) targets, \(b.count) weights, \(g.count) potentials")
    precondition(epsilon > 0 && scale > 0, "entropic map: ε and scale must be positive")
    self.target = target
    self.logits = zip(b, g).map { $0 > 0 ? Foundation.log($0) + $1 / epsilon : -Double.infinity }
    self.epsilon = epsilon
    self.scale = scale
  }

  /// T(xₖ) for every row xₖ of `x` (k×d → k×d).
  /// - Complexity: O(k·m·d) time, O(m) extra memory per thread.
  public func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> {
    precondition(x.columns == target.columns, "entropic map: points have \(x.columns) columns, targets \(target.columns)")
    let k = x.rows, m = target.rows, d = target.columns
    var out = Tensor<Double>.zeros(rows: k, columns: d)
    out.scalars.withUnsafeMutableBufferPointer { op in
      x.scalars.withUnsafeBufferPointer { xp in
        target.scalars.withUnsafeBufferPointer { yp in
          logits.withUnsafeBufferPointer { lp in
            nonisolated(unsafe) let op = op, xp = xp, yp = yp, lp = lp
            let factor = scale / epsilon
            Parallel.ranges(k, minimumWork: k * m * d, grain: 1 << 16) { lo, hi in
              var w = [Double](repeating: 0, count: m)
              for r in lo..<hi {
                let xr = xp.baseAddress! + r * d
                var mx = -Double.infinity
                for j in 0..<m {
                  let t = lp[j] - factor * squaredDistance(xr, yp.baseAddress! + j * d, d)
                  w[j] = t
                  mx = max(mx, t)
                }
                var total = 0.0
                for j in 0..<m {
                  let e = Foundation.exp(w[j] - mx)
                  total += e
                  for q in 0..<d { op[r * d + q] += e * yp[j * d + q] }
                }
                for q in 0..<d { op[r * d + q] /= total }
              }
            }
          }
        }
      }
    }
    return out
  }
}

/// −ε·log Σ_q exp(t_q) for the `count` values t (overwritten), computed as
/// −ε·(max + log Σ exp(t − max)).
@inline(__always)
private func negativeScaledLogSumExp(_ t: UnsafeMutablePointer<Double>, _ count: Int, epsilon: Double) -> Double {
  typealias V = SIMD4<Double>
  var mv = V(repeating: -.infinity)
  var k = 0
  while k + 4 <= count {
    let v = UnsafeRawPointer(t + k).loadUnaligned(as: V.self)
    mv.replace(with: v, where: v .> mv)
    k += 4
  }
  var mx = max(max(mv[0], mv[1]), max(mv[2], mv[3]))
  while k < count { mx = max(mx, t[k]); k += 1 }
  if mx == -.infinity { return .infinity }
  if !mx.isFinite { return -epsilon * mx }
  let shift = V(repeating: mx)
  var s0 = V(), s1 = V()
  k = 0
  while k + 8 <= count {
    var a = UnsafeRawPointer(t + k).loadUnaligned(as: V.self) - shift
    var b = UnsafeRawPointer(t + k + 4).loadUnaligned(as: V.self) - shift
    // −∞ lanes (zero weights) must not reach the bit tricks; NaN lanes
    // propagate to the result, where the caller's finiteness check sees them.
    a.replace(with: V(repeating: -1000), where: a .< V(repeating: -1000))
    b.replace(with: V(repeating: -1000), where: b .< V(repeating: -1000))
    s0 += VectorMath.expNonPositive(a)
    s1 += VectorMath.expNonPositive(b)
    k += 8
  }
  var sum = (s0 + s1).sum()
  while k < count { sum += Foundation.exp(t[k] - mx); k += 1 }
  return -epsilon * (mx + Foundation.log(sum))
}
