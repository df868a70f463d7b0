import Testing
import NCFTensor
import NCFTestSupport
import NCFTransport

/// Independent checks of an exact solution: marginals, dual feasibility on
/// every pair, complementary slackness on the support, and strong duality,
/// recomputed here from the raw output (not from its certificate).
func expectCertifiedOptimal(
  _ out: ExactOTOutput, _ p: DiscreteOTProblem, tolerance: Double = 1e-9,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(out.status == .optimal, "\(out.certificate.summary)", sourceLocation: sourceLocation)
  let n = p.sourceCount, m = p.targetCount
  var rowSum = [Double](repeating: 0, count: n), colSum = [Double](repeating: 0, count: m)
  var cost = 0.0
  for e in out.support {
    #expect(e.mass > 0, sourceLocation: sourceLocation)
    rowSum[e.row] += e.mass
    colSum[e.column] += e.mass
    cost += e.mass * p.cost[e.row, e.column]
    #expect(abs(p.cost[e.row, e.column] - out.f[e.row] - out.g[e.column]) <= tolerance, sourceLocation: sourceLocation)
  }
  #expect(out.support.count <= n + m - 1, sourceLocation: sourceLocation)
  for i in 0..<n { #expect(abs(rowSum[i] - p.a[i]) <= 1e-14, sourceLocation: sourceLocation) }
  for j in 0..<m { #expect(abs(colSum[j] - p.b[j]) <= 1e-14, sourceLocation: sourceLocation) }
  var worst = 0.0
  for i in 0..<n { for j in 0..<m { worst = min(worst, p.cost[i, j] - out.f[i] - out.g[j]) } }
  #expect(worst >= -tolerance, sourceLocation: sourceLocation)
  let dual = zip(p.a, out.f).reduce(0) { $0 + $1.0 * $1.1 } + zip(p.b, out.g).reduce(0) { $0 + $1.0 * $1.1 }
  #expect(abs(cost - out.cost) <= 1e-12 * max(1, abs(cost)), sourceLocation: sourceLocation)
  #expect(abs(cost - dual) <= tolerance, sourceLocation: sourceLocation)
}

/// Minimum of Σᵢ C[i, σ(i)] over all permutations σ (Heap's algorithm).
func bruteForceAssignment(_ c: Tensor<Double>) -> Double {
  let n = c.rows
  var perm = Array(0..<n)
  var best = Double.infinity
  func visit() { best = min(best, (0..<n).reduce(0) { $0 + c[$1, perm[$1]] }) }
  var counters = [Int](repeating: 0, count: n)
  visit()
  var i = 0
  while i < n {
    if counters[i] < i {
      if i % 2 == 0 { perm.swapAt(0, i) } else { perm.swapAt(counters[i], i) }
      visit()
      counters[i] += 1
      i = 0
    } else {
      counters[i] = 0
      i += 1
    }
  }
  return best
}

/// Minimum cost over all vertices of the transportation polytope: every
/// choice of n + m − 1 arcs that forms a spanning tree has unique flows (leaf
/// elimination); the feasible ones are the vertices, and an LP attains its
/// minimum at a vertex.
func bruteForceVertices(a: [Double], b: [Double], cost c: Tensor<Double>) -> Double {
  let n = a.count, m = b.count, arcs = n * m, k = n + m - 1
  var best = Double.infinity
  var choice = Array(0..<k)
  while true {
    // Leaf elimination on the chosen arcs.
    var remaining = a + b
    var alive = [Bool](repeating: true, count: k)
    var degree = [Int](repeating: 0, count: n + m)
    for e in choice { degree[e / m] += 1; degree[n + e % m] += 1 }
    var flow = [Double](repeating: 0, count: k)
    var ok = !degree.contains(0)
    var removed = 0
    while ok && removed < k {
      var progressed = false
      for (t, e) in choice.enumerated() where alive[t] {
        let s = e / m, d = n + e % m
        let leaf = degree[s] == 1 ? s : (degree[d] == 1 ? d : -1)
        if leaf < 0 { continue }
        let other = leaf == s ? d : s
        flow[t] = remaining[leaf]
        remaining[other] -= flow[t]
        remaining[leaf] = 0
        degree[s] -= 1
        degree[d] -= 1
        alive[t] = false
        removed += 1
        progressed = true
      }
      if !progressed { ok = false }  // a cycle: not a tree
    }
    if ok && flow.allSatisfy({ $0 >= -1e-12 }) && remaining.allSatisfy({ abs($0) <= 1e-12 }) {
      best = min(best, zip(choice, flow).reduce(0) { $0 + c.scalars[$1.0] * $1.1 })
    }
    // Next combination.
    var p = k - 1
    while p >= 0 && choice[p] == arcs - k + p { p -= 1 }
    if p < 0 { break }
    choice[p] += 1
    for q in (p + 1)..<k { choice[q] = choice[q - 1] + 1 }
  }
  return best
}

func randomWeights(_ n: Int, rng: inout SeededRandom, zeros: Int = 0) -> [Double] {
  var w = (0..<n).map { _ in 0.05 + rng.uniform() }
  for k in 0..<zeros { w[(k * 7 + 3) % n] = 0 }
  let s = w.reduce(0, +)
  return w.map { $0 / s }
}

@Suite struct NetworkSimplexTests {
  @Test(arguments: 1...7)
  func uniformWeightsMatchBruteForceAssignment(n: Int) throws {
    for trial in 0..<6 {
      var rng = SeededRandom(seed: UInt64(100 * n + trial))
      // Integer costs in 0..<4 for half the trials: many ties and degenerate pivots.
      let c = Tensor<Double>(rows: n, columns: n, scalars: (0..<(n * n)).map { _ in
        trial % 2 == 0 ? rng.uniform(-1, 3) : Double(rng.integer(below: 4))
      })
      let p = try DiscreteOTProblem(cost: c)
      let out = try NetworkSimplex()(p)
      expectCertifiedOptimal(out, p)
      #expect(abs(out.cost - bruteForceAssignment(c) / Double(n)) <= 1e-12)
    }
  }

  @Test(arguments: [(2, 3), (3, 3), (3, 4), (4, 3), (2, 6), (4, 4)])
  func randomWeightsMatchVertexEnumeration(n: Int, m: Int) throws {
    for trial in 0..<4 {
      var rng = SeededRandom(seed: UInt64(1000 + 10 * n + m + 100 * trial))
      let a = randomWeights(n, rng: &rng), b = randomWeights(m, rng: &rng)
      let c = Tensor<Double>(rows: n, columns: m, scalars: (0..<(n * m)).map { _ in
        trial % 2 == 0 ? rng.uniform(0, 1) : Double(rng.integer(below: 3))
      })
      let p = try DiscreteOTProblem(a: a, b: b, cost: c)
      let out = try NetworkSimplex()(p)
      expectCertifiedOptimal(out, p)
      #expect(abs(out.cost - bruteForceVertices(a: a, b: b, cost: c)) <= 1e-12)
    }
  }

  /// On the line, a convex cost is solved by the monotone (north-west corner)
  /// coupling of the sorted points; for |x − y|² it is the unique optimum.
  @Test(arguments: [1.0, 2.0])
  func oneDimensionalMatchesMonotoneCoupling(power: Double) throws {
    var rng = SeededRandom(seed: 7)
    let n = 40, m = 55
    let x = (0..<n).map { _ in rng.normal() }.sorted(), y = (0..<m).map { _ in 0.5 + 2 * rng.normal() }.sorted()
    let a = randomWeights(n, rng: &rng), b = randomWeights(m, rng: &rng)
    // Shuffle the order in which points are given to the solver.
    let pr = rng.permutation(n), pc = rng.permutation(m)
    let xs = Tensor<Double>(column: pr.map { x[$0] }), ys = Tensor<Double>(column: pc.map { y[$0] })
    let p = try DiscreteOTProblem(
      source: xs, target: ys, a: pr.map { a[$0] }, b: pc.map { b[$0] }, cost: .lp(power))
    let out = try NetworkSimplex()(p)
    expectCertifiedOptimal(out, p)

    // North-west corner on the sorted points.
    var i = 0, j = 0, ra = a[0], rb = b[0]
    var reference = 0.0
    var plan = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
    while i < n && j < m {
      let t = min(ra, rb)
      reference += t * Double.pow(abs(x[i] - y[j]), power)
      plan[i][j] += t
      ra -= t
      rb -= t
      if ra <= rb { i += 1; if i < n { ra = a[i] } } else { j += 1; if j < m { rb = b[j] } }
    }
    #expect(abs(out.cost - reference) <= 1e-12 * reference)
    if power == 2 {
      let dense = out.plan
      var worst = 0.0
      for r in 0..<n { for c in 0..<m { worst = max(worst, abs(dense[r, c] - plan[pr[r]][pc[c]])) } }
      #expect(worst <= 1e-12)
    }
  }

  @Test func allCostsEqualIsDegenerateButCertified() throws {
    var rng = SeededRandom(seed: 3)
    let a = randomWeights(9, rng: &rng), b = randomWeights(6, rng: &rng)
    let p = try DiscreteOTProblem(a: a, b: b, cost: Tensor(rows: 9, columns: 6, repeating: 2.5))
    let out = try NetworkSimplex()(p)
    expectCertifiedOptimal(out, p)
    #expect(abs(out.cost - 2.5) <= 1e-14)
  }

  @Test func duplicatedPointsAndTiedCosts() throws {
    // 60 points on a 4×4 integer grid (many duplicates), transported onto a
    // permutation of themselves: cost 0, found through massively tied costs.
    var rng = SeededRandom(seed: 11)
    let pts = (0..<60).map { _ in [Double(rng.integer(below: 4)), Double(rng.integer(below: 4))] }
    let perm = rng.permutation(60)
    let x = Tensor<Double>(pts), y = Tensor<Double>(perm.map { pts[$0] })
    let p = try DiscreteOTProblem(source: x, target: y)
    let out = try NetworkSimplex()(p)
    expectCertifiedOptimal(out, p)
    #expect(abs(out.cost) <= 1e-15)
    // Shifted target: every point moves by (1, 0) at cost 1 — still tied everywhere.
    let shifted = Tensor<Double>(perm.map { [pts[$0][0] + 1, pts[$0][1]] })
    let q = try DiscreteOTProblem(source: x, target: shifted)
    let out2 = try NetworkSimplex()(q)
    expectCertifiedOptimal(out2, q)
    #expect(abs(out2.cost - 1) <= 1e-12)
  }

  @Test(arguments: [(3, 80), (80, 3), (1, 12), (12, 1), (150, 97)])
  func unequalSizes(n: Int, m: Int) throws {
    var rng = SeededRandom(seed: UInt64(n * 1000 + m))
    let x = Tensor<Double>.normal(rows: n, columns: 3, using: &rng)
    let y = Tensor<Double>.normal(rows: m, columns: 3, mean: 1, using: &rng)
    let p = try DiscreteOTProblem(source: x, target: y, a: randomWeights(n, rng: &rng), b: randomWeights(m, rng: &rng))
    expectCertifiedOptimal(try NetworkSimplex()(p), p)
    // Uniform weights too (highly degenerate when n = m).
    let u = try DiscreteOTProblem(source: x, target: y)
    expectCertifiedOptimal(try NetworkSimplex()(u), u)
  }

  @Test func largerRandomProblemsWithSmallBlocks() throws {
    // Small pricing blocks exercise many more pivots through the tree update.
    for (seed, n, m, block) in [(1, 200, 200, 7), (2, 173, 251, 1), (3, 300, 120, 50)] {
      var rng = SeededRandom(seed: UInt64(seed))
      let x = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
      let y = Tensor<Double>.normal(rows: m, columns: 2, mean: 0.5, using: &rng)
      let uniform = seed == 1
      let p = try DiscreteOTProblem(
        source: x, target: y, a: uniform ? nil : randomWeights(n, rng: &rng),
        b: uniform ? nil : randomWeights(m, rng: &rng))
      let out = try NetworkSimplex(blockSize: block)(p)
      expectCertifiedOptimal(out, p)
      let reference = try NetworkSimplex()(p)
      #expect(abs(out.cost - reference.cost) <= 1e-12 * reference.cost)
    }
  }

  @Test func zeroWeightsAreDroppedAndMappedBack() throws {
    var rng = SeededRandom(seed: 21)
    let n = 30, m = 25
    let x = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: m, columns: 2, using: &rng)
    let a = randomWeights(n, rng: &rng, zeros: 6), b = randomWeights(m, rng: &rng, zeros: 4)
    let p = try DiscreteOTProblem(source: x, target: y, a: a, b: b)
    let out = try NetworkSimplex()(p)
    expectCertifiedOptimal(out, p)
    for e in out.support { #expect(a[e.row] > 0 && b[e.column] > 0) }
    // Same optimum as the problem without those points.
    let keepA = (0..<n).filter { a[$0] > 0 }, keepB = (0..<m).filter { b[$0] > 0 }
    let q = try DiscreteOTProblem(
      source: x.gathering(rows: keepA), target: y.gathering(rows: keepB),
      a: keepA.map { a[$0] }, b: keepB.map { b[$0] })
    let reduced = try NetworkSimplex()(q)
    #expect(abs(reduced.cost - out.cost) <= 1e-12 * out.cost)
  }

  @Test func unbalancedMassesAreRejectedUnlessNormalised() throws {
    let c = Tensor<Double>([[0, 1], [1, 0]])
    #expect(throws: DiscreteOTError.self) { try DiscreteOTProblem(a: [0.5, 0.5], b: [0.5, 0.6], cost: c) }
    #expect(throws: DiscreteOTError.self) { try DiscreteOTProblem(a: [0.5, -0.1], b: [0.5, 0.5], cost: c) }
    #expect(throws: DiscreteOTError.self) { try DiscreteOTProblem(a: [0, 0], b: [0.5, 0.5], cost: c) }
    #expect(throws: DiscreteOTError.self) {
      try DiscreteOTProblem(a: [0.5, 0.5], b: [0.5, 0.5], cost: Tensor([[0, .nan], [1, 0]]))
    }
    #expect(throws: DiscreteOTError.self) { try DiscreteOTProblem(a: [1], b: [0.5, 0.5], cost: c) }
    let p = try DiscreteOTProblem(a: [1, 3], b: [2, 6], cost: c, normalizingMasses: true)
    #expect(p.a == [0.25, 0.75] && p.b == [0.25, 0.75])
    let out = try NetworkSimplex()(p)
    expectCertifiedOptimal(out, p)
    #expect(abs(out.cost) <= 1e-15)
  }

  @Test func iterationCapIsReportedNotSilent() throws {
    var rng = SeededRandom(seed: 5)
    let x = Tensor<Double>.normal(rows: 60, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: 60, columns: 2, mean: 1, using: &rng)
    let p = try DiscreteOTProblem(source: x, target: y)
    let capped = NetworkSimplex(maxIterations: 3)
    let report = capped.solve(p)
    #expect(report.status == .iterationLimitReached)
    #expect(report.iterations == 3)
    #expect(report.certificate.maxMarginalError <= 1e-14)  // still feasible
    #expect(!report.certificate.isOptimal)  // and the certificate says why it is not optimal
    do {
      _ = try capped(p)
      Issue.record("the iteration cap must throw")
    } catch DiscreteOTError.iterationLimitReached(let out) {
      let optimal = try NetworkSimplex()(p)
      #expect(out.cost > optimal.cost)
    }
  }

  @Test func treeInvariantsHoldThroughPivots() throws {
    // The hook traps on the first broken invariant after any pivot. Uniform
    // weights with n = m = 150 produce many tied flows, which is where a wrong
    // tie-break in the leaving-arc rule breaks strong feasibility.
    for seed in 0..<8 {
      var rng = SeededRandom(seed: UInt64(99 + seed))
      let (n, m) = seed < 6 ? (30 + 7 * seed, 45 - 3 * seed) : (150, 150)
      let x = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
      let y = Tensor<Double>.normal(rows: m, columns: 2, using: &rng)
      let uniform = seed % 2 == 0
      let p = try DiscreteOTProblem(
        source: x, target: y, a: uniform ? nil : randomWeights(n, rng: &rng),
        b: uniform ? nil : randomWeights(m, rng: &rng))
      var solver = NetworkSimplex(blockSize: 1 + seed)
      solver._checksTreeInvariants = true
      let out = try solver(p)
      expectCertifiedOptimal(out, p)
      #expect(out.iterations > 10)
    }
  }
}
