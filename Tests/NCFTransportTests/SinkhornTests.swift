import Testing
import NCFTensor
import NCFTestSupport
import NCFTransport

@Suite struct SinkhornTests {
  func randomProblem(n: Int, m: Int, seed: UInt64, zeros: Int = 0) throws -> (DiscreteOTProblem, Tensor<Double>, Tensor<Double>) {
    var rng = SeededRandom(seed: seed)
    let x = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: m, columns: 2, mean: 0.7, standardDeviation: 0.8, using: &rng)
    let p = try DiscreteOTProblem(
      source: x, target: y, a: randomWeights(n, rng: &rng, zeros: zeros), b: randomWeights(m, rng: &rng, zeros: zeros))
    return (p, x, y)
  }

  func marginalErrors(_ plan: Tensor<Double>, _ p: DiscreteOTProblem) -> (rows: Double, columns: Double) {
    var r = 0.0, c = 0.0
    for i in 0..<plan.rows { r += abs((0..<plan.columns).reduce(0) { $0 + plan[i, $1] } - p.a[i]) }
    for j in 0..<plan.columns { c += abs((0..<plan.rows).reduce(0) { $0 + plan[$1, j] } - p.b[j]) }
    return (r, c)
  }

  @Test(arguments: [nil, Sinkhorn.Scaling()])
  func marginalErrorBelowTolerance(scaling: Sinkhorn.Scaling?) throws {
    let (p, _, _) = try randomProblem(n: 40, m: 30, seed: 1, zeros: 3)
    let out = Sinkhorn(epsilon: 0.05, tolerance: 1e-9, scaling: scaling)(p)
    #expect(out.converged && !out.diverged)
    #expect(out.marginalError <= 1e-9)
    #expect(out.errors.last == out.marginalError)
    let plan = out.plan
    let (rows, cols) = marginalErrors(plan, p)
    #expect(rows <= 1e-9)
    #expect(cols <= 1e-12)
    // Zero weights: zero plan rows/columns, finite potentials.
    for i in 0..<p.sourceCount where p.a[i] == 0 { #expect((0..<p.targetCount).allSatisfy { plan[i, $0] == 0 }) }
    #expect(out.f.allSatisfy(\.isFinite) && out.g.allSatisfy(\.isFinite))
    // Strong duality at convergence, and ⟨P, C⟩ computed from the plan.
    #expect(abs(out.primalCost - out.dualCost) <= 1e-8)
    var transport = 0.0
    for i in 0..<p.sourceCount { for j in 0..<p.targetCount { transport += plan[i, j] * p.cost[i, j] } }
    #expect(abs(transport - out.transportCost) <= 1e-12)
  }

  @Test func scalingNeedsFewerIterationsAtSmallEpsilon() throws {
    let (p, _, _) = try randomProblem(n: 50, m: 50, seed: 2)
    let plain = Sinkhorn(epsilon: 0.005, tolerance: 1e-6, scaling: nil)(p)
    let scaled = Sinkhorn(epsilon: 0.005, tolerance: 1e-6)(p)
    #expect(plain.converged && scaled.converged)
    #expect(scaled.iterations < plain.iterations)
    #expect(abs(plain.dualCost - scaled.dualCost) <= 1e-5)
  }

  /// ⟨P_ε, C⟩ is non-decreasing in ε (exchange argument on the two
  /// optimality inequalities) and tends to the exact OT cost as ε → 0.
  @Test func transportCostDecreasesToExactCostAsEpsilonShrinks() throws {
    let (p, _, _) = try randomProblem(n: 12, m: 9, seed: 3)
    let exact = try NetworkSimplex()(p).cost
    var previous = Double.infinity
    var gaps: [Double] = []
    for eps in [2.0, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002] {
      let out = Sinkhorn(epsilon: eps, tolerance: 1e-12, maxIterations: 100_000)(p)
      #expect(out.converged)
      #expect(out.transportCost <= previous + 1e-9)
      #expect(out.transportCost >= exact - 1e-9)
      previous = out.transportCost
      gaps.append(out.transportCost - exact)
    }
    #expect(gaps.last! <= 1e-4 * exact)
    #expect(gaps.last! <= 1e-3 * gaps.first!)
  }

  @Test func nonFiniteArithmeticStopsAndIsReported() throws {
    let (p, _, _) = try randomProblem(n: 8, m: 6, seed: 4)
    let out = Sinkhorn(epsilon: 1e-310, scaling: nil)(p)  // (g − C)/ε overflows
    #expect(out.diverged)
    #expect(!out.converged)
  }

  @Test func iterationCapIsReported() throws {
    let (p, _, _) = try randomProblem(n: 30, m: 30, seed: 5)
    let out = Sinkhorn(epsilon: 0.001, tolerance: 1e-12, maxIterations: 5)(p)
    #expect(!out.converged && !out.diverged)
    #expect(out.iterations == 5)
    #expect(out.epsilon > out.targetEpsilon)  // ε-scaling had not reached the target
  }

  @Test func divergenceVanishesForIdenticalInputsAndIsPositiveOtherwise() throws {
    var rng = SeededRandom(seed: 6)
    let x = Tensor<Double>.normal(rows: 60, columns: 2, using: &rng)
    let a = randomWeights(60, rng: &rng)
    let div = SinkhornDivergence(sinkhorn: Sinkhorn(epsilon: 0.1, tolerance: 1e-10))
    let same = try div(x, x, a: a, b: a)
    let sameConverged = same.converged, sameValue = same.value
    #expect(sameConverged)
    #expect(abs(sameValue) <= 1e-9)
    // A translated copy: S_ε = ‖t‖² exactly for the squared Euclidean cost
    // (the cross terms are separable and integrate to ‖t‖² under any coupling).
    // Alternating Sinkhorn mixes slowly on near-identity plans, hence the larger ε.
    var shifted = x
    for i in 0..<60 { shifted[i, 0] += 0.3; shifted[i, 1] -= 0.4 }
    let moved = try SinkhornDivergence(sinkhorn: Sinkhorn(epsilon: 0.5, tolerance: 1e-10))(x, shifted, a: a, b: a).value
    #expect(abs(moved - 0.25) <= 1e-8)
    // A different cloud: positive.
    let y = Tensor<Double>.normal(rows: 45, columns: 2, mean: 0.2, standardDeviation: 1.3, using: &rng)
    let other = try div(x, y, a: a)
    let otherConverged = other.converged, otherValue = other.value
    #expect(otherConverged)
    #expect(otherValue > 1e-3)
  }

  @Test func entropicMapIsTheBarycentricProjectionOnSourcePoints() throws {
    let (p, x, y) = try randomProblem(n: 25, m: 35, seed: 7)
    let out = Sinkhorn(epsilon: 0.05, tolerance: 1e-12)(p)
    #expect(out.converged)
    let map = out.entropicMap(target: y)
    let tx = map(x)
    let plan = out.plan
    for i in 0..<25 {
      for k in 0..<2 {
        let bary = (0..<35).reduce(0) { $0 + plan[i, $1] * y[$1, k] } / p.a[i]
        #expect(abs(tx[i, k] - bary) <= 1e-8)
      }
    }
  }

  /// As ε → 0 the entropic map tends, on the source points, to the exact
  /// OT map (uniform n = m: a permutation of the targets).
  @Test func entropicMapApproachesTheExactMap() throws {
    let (_, x, y) = try randomProblem(n: 60, m: 60, seed: 8)
    let p = try DiscreteOTProblem(source: x, target: y)
    let exact = try NetworkSimplex()(p)
    var exactMap = Tensor<Double>.zeros(rows: 60, columns: 2)
    for e in exact.support { for k in 0..<2 { exactMap[e.row, k] += e.mass / p.a[e.row] * y[e.column, k] } }
    var previous = Double.infinity
    var first = 0.0
    for eps in [1.0, 0.5, 0.25, 0.1] {
      let out = Sinkhorn(epsilon: eps, tolerance: 1e-7)(p)
      let converged = out.converged
      #expect(converged)
      let error = maxAbsoluteDifference(out.entropicMap(target: y)(x), exactMap)
      #expect(error < previous)
      if first == 0 { first = error }
      previous = error
    }
    #expect(previous <= 0.5 * first)
  }

  @Test func symmetricIterationSolvesTheSelfProblem() throws {
    var rng = SeededRandom(seed: 9)
    let x = Tensor<Double>.normal(rows: 50, columns: 2, using: &rng)
    let a = randomWeights(50, rng: &rng)
    let p = try DiscreteOTProblem(a: a, b: a, cost: Cost.sqeuclidean.matrix(x, x))
    let sym = Sinkhorn(epsilon: 0.5, tolerance: 1e-10).symmetric(p)
    let alt = Sinkhorn(epsilon: 0.5, tolerance: 1e-10, maxIterations: 100_000)(p)
    #expect(sym.converged && alt.converged)
    #expect(sym.iterations < alt.iterations)
    #expect(abs(sym.dualCost - alt.dualCost) <= 1e-8)
    let (rows, cols) = marginalErrors(sym.plan, p)
    #expect(rows <= 1e-10 && cols <= 1e-10)
  }
}
