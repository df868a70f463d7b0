// The spanning-tree engine behind `NetworkSimplex`, specialised to the
// transportation graph: supply nodes 0..<n, demand nodes n..<n+m, one
// uncapacitated arc i → j per pair, cost C[i, j].
//
// Design notes (why it looks the way it does):
// - No artificial root and no big-M costs. The initial basis is a feasible
//   plan of real arcs (row-minimum rule), completed to a spanning tree with
//   zero-flow arcs. Potentials therefore stay on the scale of the costs.
// - Every arc joins a supply node and a demand node, so a tree arc is fully
//   described by its child node u and parent[u]: its direction is "up"
//   (child → parent) exactly when the child is a supply node. Non-tree arcs
//   all carry zero flow (no upper bounds), so flows live on tree nodes only:
//   O(n + m) memory besides the cost matrix.
// - Flows are integers (masses in units of total/2⁶⁰), so ties, zero flows
//   and the anti-cycling rule are exact; costs and potentials are Double.
// - Anti-cycling: the tree is kept strongly feasible (every zero-flow arc
//   points up, towards the root) and the leaving arc is the last blocking arc
//   met when walking the pivot cycle in its orientation from the apex
//   (Cunningham 1976). With a finite pivot rule this terminates.
// - Pricing: block search. Arcs are scanned row by row in blocks of about
//   √(n·m); the most negative reduced cost of the first block that has one
//   enters. The inner loop is SIMD over a contiguous row segment.
// - Tree storage: parent, preorder thread (doubly linked), subtree size and
//   last node of each subtree's preorder segment. A pivot re-roots the
//   detached subtree in O(path + pieces) list operations and shifts the
//   potentials of that subtree.

final class TransportationSimplex {
  let n: Int
  let m: Int
  let nodeCount: Int
  let cost: UnsafePointer<Double>

  // Tree, indexed by node.
  let parent: UnsafeMutablePointer<Int>
  let thread: UnsafeMutablePointer<Int>
  let revThread: UnsafeMutablePointer<Int>
  let succNum: UnsafeMutablePointer<Int>
  let lastSucc: UnsafeMutablePointer<Int>
  /// Flow on the arc between node u and parent[u].
  let flow: UnsafeMutablePointer<Int64>
  /// Potentials: f_i = pot[i], g_j = pot[n + j]; tree arcs satisfy f_i + g_j = C[i, j].
  let pot: UnsafeMutablePointer<Double>

  // Scratch for pivots.
  private let path: UnsafeMutablePointer<Int>
  private let pieceStart: UnsafeMutablePointer<Int>
  private let pieceEnd: UnsafeMutablePointer<Int>

  private(set) var root = 0
  private var nextArc = 0
  let blockSize: Int
  /// An arc enters only when its reduced cost is below −enterTolerance.
  let enterTolerance: Double

  private(set) var pivots = 0
  private(set) var degeneratePivots = 0

  /// - Parameters:
  ///   - cost: n×m row-major costs, alive for the lifetime of the engine.
  init(n: Int, m: Int, cost: UnsafePointer<Double>, blockSize: Int, enterTolerance: Double) {
    self.n = n
    self.m = m
    self.nodeCount = n + m
    self.cost = cost
    self.blockSize = max(1, blockSize)
    self.enterTolerance = enterTolerance
    let count = n + m
    parent = .allocate(capacity: count)
    thread = .allocate(capacity: count)
    revThread = .allocate(capacity: count)
    succNum = .allocate(capacity: count)
    lastSucc = .allocate(capacity: count)
    flow = .allocate(capacity: count)
    pot = .allocate(capacity: count)
    path = .allocate(capacity: count)
    pieceStart = .allocate(capacity: 3 * count + 3)
    pieceEnd = .allocate(capacity: 3 * count + 3)
  }

  deinit {
    for p in [parent, thread, revThread, succNum, lastSucc, path, pieceStart, pieceEnd] { p.deallocate() }
    flow.deallocate()
    pot.deallocate()

  }

  @inline(__always) func arcCost(_ i: Int, _ j: Int) -> Double { cost[i * m + j] }

  /// Cost of the tree arc between `u` and its parent.
  @inline(__always) func treeArcCost(_ u: Int) -> Double {
    let p = parent[u]
    return u < n ? cost[u * m + (p - n)] : cost[p * m + (u - n)]
  }

  // MARK: - Initial basis

  /// Builds a strongly feasible spanning tree from a row-minimum feasible plan.
  ///
  /// - Precondition: all supplies and demands are > 0 and Σ supply = Σ demand.
  func initialize(supply: [Int64], demand: [Int64]) {
    // 1. Row-minimum rule: each allocation exhausts a row or a column, so the
    //    support is a forest with at most n + m − 1 arcs, all with flow > 0.
    var remaining = demand
    let active = UnsafeMutablePointer<Int>.allocate(capacity: max(m, 1))
    let slot = UnsafeMutablePointer<Int>.allocate(capacity: max(m, 1))
    defer { active.deallocate(); slot.deallocate() }
    for j in 0..<m { active[j] = j; slot[j] = j }
    var activeCount = m
    var arcI: [Int] = [], arcJ: [Int] = [], arcFlow: [Int64] = []
    arcI.reserveCapacity(n + m)
    arcJ.reserveCapacity(n + m)
    arcFlow.reserveCapacity(n + m)
    for i in 0..<n {
      var r = supply[i]
      let row = cost + i * m
      while r > 0 {
        precondition(activeCount > 0, "transportation simplex: supplies exceed demands")
        var best = Double.infinity, bestJ = active[0]
        for t in 0..<activeCount {
          let j = active[t]
          if row[j] < best {
            best = row[j]
            bestJ = j
          }
        }
        let x = min(r, remaining[bestJ])
        arcI.append(i)
        arcJ.append(bestJ)
        arcFlow.append(x)
        r -= x
        remaining[bestJ] -= x
        if remaining[bestJ] == 0 {
          let s = slot[bestJ], last = active[activeCount - 1]
          active[s] = last
          slot[last] = s
          activeCount -= 1
        }
      }
    }

    // 2. Adjacency of the forest (CSR).
    let count = nodeCount
    var degree = [Int](repeating: 0, count: count + 1)
    for k in arcI.indices {
      degree[arcI[k] + 1] += 1
      degree[n + arcJ[k] + 1] += 1
    }
    for u in 0..<count { degree[u + 1] += degree[u] }
    var fill = degree
    var neighbour = [Int](repeating: 0, count: 2 * arcI.count)
    var neighbourFlow = [Int64](repeating: 0, count: 2 * arcI.count)
    for k in arcI.indices {
      let s = arcI[k], d = n + arcJ[k]
      neighbour[fill[s]] = d
      neighbourFlow[fill[s]] = arcFlow[k]
      fill[s] += 1
      neighbour[fill[d]] = s
      neighbourFlow[fill[d]] = arcFlow[k]
      fill[d] += 1
    }

    // 3. Root at a demand node; every other component hangs from it by a
    //    zero-flow arc out of one of its supply nodes (an "up" arc, so the
    //    tree is strongly feasible).
    root = n + arcJ[0]
    for u in 0..<count { parent[u] = -2 }  // -2: unvisited
    var order = [Int]()
    order.reserveCapacity(count)
    var stack = [Int]()
    func visitComponent(from start: Int) {
      stack.append(start)
      while let u = stack.popLast() {
        order.append(u)
        for e in degree[u]..<degree[u + 1] {
          let v = neighbour[e]
          if parent[v] == -2 {
            parent[v] = u
            flow[v] = neighbourFlow[e]
            stack.append(v)
          }
        }
      }
    }
    parent[root] = -1
    flow[root] = 0
    visitComponent(from: root)
    for s in 0..<n where parent[s] == -2 {
      parent[s] = root
      flow[s] = 0
      visitComponent(from: s)
    }
    precondition(order.count == count, "transportation simplex: initial basis does not span every node")
    rebuildThread()
    refreshPotentials()
  }

  /// Recomputes thread, subtree sizes and last successors from `parent`.
  func rebuildThread() {
    let count = nodeCount
    var childStart = [Int](repeating: 0, count: count + 1)
    for u in 0..<count where parent[u] >= 0 { childStart[parent[u] + 1] += 1 }
    for u in 0..<count { childStart[u + 1] += childStart[u] }
    var fill = childStart
    var children = [Int](repeating: 0, count: max(count - 1, 0))
    for u in 0..<count where parent[u] >= 0 {
      children[fill[parent[u]]] = u
      fill[parent[u]] += 1
    }
    var order = [Int]()
    order.reserveCapacity(count)
    var stack = [root]
    while let u = stack.popLast() {
      order.append(u)
      var e = childStart[u + 1]
      while e > childStart[u] {
        e -= 1
        stack.append(children[e])
      }
    }
    precondition(order.count == count, "transportation simplex: the tree does not span every node")
    for k in 0..<count {
      let u = order[k], v = order[(k + 1) % count]
      thread[u] = v
      revThread[v] = u
      succNum[u] = 1
    }
    for k in stride(from: count - 1, to: 0, by: -1) { succNum[parent[order[k]]] += succNum[order[k]] }
    var position = [Int](repeating: 0, count: count)
    for k in 0..<count { position[order[k]] = k }
    for u in 0..<count { lastSucc[u] = order[position[u] + succNum[u] - 1] }
  }

  /// Recomputes all potentials from the tree (g_root = 0), removing the
  /// rounding drift of incremental updates.
  func refreshPotentials() {
    pot[root] = 0
    var u = thread[root]
    while u != root {
      pot[u] = treeArcCost(u) - pot[parent[u]]
      u = thread[u]
    }
  }

  // MARK: - Pricing

  /// Block search: the most negative reduced cost in the first block (of
  /// `blockSize` arcs, scanned cyclically from where the last search stopped)
  /// that contains one below −enterTolerance; nil when no arc qualifies.
  func findEnteringArc() -> (i: Int, j: Int, reducedCost: Double)? {
    let arcs = n * m
    let g = UnsafePointer(pot + n)
    var best = -enterTolerance
    var bestArc = -1
    var e = nextArc
    var inBlock = 0
    var scanned = 0
    while scanned < arcs {
      let i = e / m, j0 = e - i * m
      let len = min(m - j0, blockSize - inBlock, arcs - scanned)
      let row = cost + i * m
      let fi = pot[i]
      let segmentMin = Self.minimumDifference(row + j0, g + j0, len)
      if segmentMin - fi < best {
        best = segmentMin - fi
        bestArc = i * m + j0 + Self.firstIndex(of: segmentMin, row + j0, g + j0, len)
      }
      e += len
      if e == arcs { e = 0 }
      inBlock += len
      scanned += len
      if inBlock >= blockSize {
        if bestArc >= 0 { break }
        inBlock = 0
      }
    }
    nextArc = e
    guard bestArc >= 0 else { return nil }
    return (bestArc / m, bestArc % m, best)
  }

  /// min over k < count of c[k] − g[k].
  ///
  /// Written with `replace(with:where:)` and four accumulators: that lowers
  /// to `vminpd` (`pointwiseMin` on SIMD4<Double> is lane-by-lane and
  /// about 12× slower).
  @inline(__always)
  static func minimumDifference(_ c: UnsafePointer<Double>, _ g: UnsafePointer<Double>, _ count: Int) -> Double {
    typealias V = SIMD4<Double>
    var m0 = V(repeating: .infinity), m1 = m0, m2 = m0, m3 = m0
    var k = 0
    while k + 16 <= count {
      let d0 = UnsafeRawPointer(c + k).loadUnaligned(as: V.self) - UnsafeRawPointer(g + k).loadUnaligned(as: V.self)
      let d1 = UnsafeRawPointer(c + k + 4).loadUnaligned(as: V.self) - UnsafeRawPointer(g + k + 4).loadUnaligned(as: V.self)
      let d2 = UnsafeRawPointer(c + k + 8).loadUnaligned(as: V.self) - UnsafeRawPointer(g + k + 8).loadUnaligned(as: V.self)
      let d3 = UnsafeRawPointer(c + k + 12).loadUnaligned(as: V.self) - UnsafeRawPointer(g + k + 12).loadUnaligned(as: V.self)
      m0.replace(with: d0, where: d0 .< m0)
      m1.replace(with: d1, where: d1 .< m1)
      m2.replace(with: d2, where: d2 .< m2)
      m3.replace(with: d3, where: d3 .< m3)
      k += 16
    }
    m0.replace(with: m1, where: m1 .< m0)
    m2.replace(with: m3, where: m3 .< m2)
    m0.replace(with: m2, where: m2 .< m0)
    var s = m0[0]
    if m0[1] < s { s = m0[1] }
    if m0[2] < s { s = m0[2] }
    if m0[3] < s { s = m0[3] }
    while k < count {
      let d = c[k] - g[k]
      if d < s { s = d }
      k += 1
    }
    return s
  }

  /// The first k < count with c[k] − g[k] == value (count if none).
  @inline(__always)
  static func firstIndex(of value: Double, _ c: UnsafePointer<Double>, _ g: UnsafePointer<Double>, _ count: Int) -> Int {
    typealias V = SIMD4<Double>
    let t = V(repeating: value)
    var k = 0
    while k + 4 <= count {
      let d = UnsafeRawPointer(c + k).loadUnaligned(as: V.self) - UnsafeRawPointer(g + k).loadUnaligned(as: V.self)
      if any(d .== t) { break }
      k += 4
    }
    while k < count && c[k] - g[k] != value { k += 1 }
    return k
  }

  // MARK: - Pivot

  /// Brings arc i → j (reduced cost `rc` < 0) into the tree.
  func pivot(i: Int, j: Int, reducedCost rc: Double) {
    let sNode = i, dNode = n + j

    // Apex of the cycle: climb from the side with the smaller subtree.
    var u = sNode, v = dNode
    while u != v {
      if succNum[u] < succNum[v] { u = parent[u] } else { v = parent[v] }
    }
    let join = u

    // Ratio test. The cycle is oriented along the entering arc: apex → … →
    // sNode → dNode → … → apex. On the sNode side the cycle runs downwards,
    // so up arcs (supply children) lose flow; on the dNode side it runs
    // upwards, so down arcs (demand children) lose flow. Cunningham's rule
    // takes the last blocking arc in cycle order: the one nearest sNode on
    // the first side (strict <), and the one nearest the apex on the second
    // side, which wins ties with the first (≤).
    var delta = Int64.max
    var uOut = -1
    var onFirstSide = true
    u = sNode
    while u != join {
      if u < n && flow[u] < delta {
        delta = flow[u]
        uOut = u
      }
      u = parent[u]
    }
    u = dNode
    while u != join {
      if u >= n && flow[u] <= delta {
        delta = flow[u]
        uOut = u
        onFirstSide = false
      }
      u = parent[u]
    }
    precondition(uOut >= 0, "transportation simplex: unbounded pivot cycle")

    if delta > 0 {
      u = sNode
      while u != join {
        flow[u] += u < n ? -delta : delta
        u = parent[u]
      }
      u = dNode
      while u != join {
        flow[u] += u < n ? delta : -delta
        u = parent[u]
      }
    } else {
      degeneratePivots += 1
    }
    pivots += 1

    // The subtree S below the leaving arc contains uIn; it is re-rooted at
    // uIn and hung below vIn through the entering arc.
    let uIn = onFirstSide ? sNode : dNode
    let vIn = onFirstSide ? dNode : sNode
    var k = 0
    path[0] = uIn
    while path[k] != uOut {
      path[k + 1] = parent[path[k]]
      k += 1
    }
    let sizeS = succNum[uOut]
    let lastOld = lastSucc[uOut]
    let oldParentOut = parent[uOut]

    // New preorder of S as a list of pieces of the old thread: each path node
    // p_t, then its old descendants except the branch through p_{t−1}.
    var pieces = 0
    for t in 0...k {
      let p = path[t]
      pieceStart[pieces] = p
      pieceEnd[pieces] = p
      pieces += 1
      if t == 0 {
        if succNum[p] > 1 {
          pieceStart[pieces] = thread[p]
          pieceEnd[pieces] = lastSucc[p]
          pieces += 1
        }
      } else {
        let q = path[t - 1]
        if thread[p] != q {
          pieceStart[pieces] = thread[p]
          pieceEnd[pieces] = revThread[q]
          pieces += 1
        }
        if lastSucc[q] != lastSucc[p] {
          pieceStart[pieces] = thread[lastSucc[q]]
          pieceEnd[pieces] = lastSucc[p]
          pieces += 1
        }
      }
    }

    // Cut S out of the thread, relink its pieces, insert it right after vIn.
    let before = revThread[uOut], after = thread[lastOld]
    thread[before] = after
    revThread[after] = before
    for x in 0..<(pieces - 1) {
      thread[pieceEnd[x]] = pieceStart[x + 1]
      revThread[pieceStart[x + 1]] = pieceEnd[x]
    }
    let endS = pieceEnd[pieces - 1]
    let next = thread[vIn]
    thread[vIn] = uIn
    revThread[uIn] = vIn
    thread[endS] = next
    revThread[next] = endS

    // Last successors of the ancestors outside S.
    var w = oldParentOut
    while w >= 0 && lastSucc[w] == lastOld {
      lastSucc[w] = before
      w = parent[w]
    }
    w = vIn
    while w >= 0 && lastSucc[w] == vIn {
      lastSucc[w] = endS
      w = parent[w]
    }
    // Subtree sizes between the two attachment points and the apex.
    w = oldParentOut
    while w != join {
      succNum[w] -= sizeS
      w = parent[w]
    }
    w = vIn
    while w != join {
      succNum[w] += sizeS
      w = parent[w]
    }

    // Reverse the path inside S (old values of p_{t−1} are read before they change).
    var t = k
    while t >= 1 {
      let p = path[t], q = path[t - 1]
      parent[p] = q
      flow[p] = flow[q]
      succNum[p] = sizeS - succNum[q]
      lastSucc[p] = endS
      t -= 1
    }
    parent[uIn] = vIn
    flow[uIn] = delta
    succNum[uIn] = sizeS
    lastSucc[uIn] = endS

    // Potentials of S: keep f + g = C on the entering arc.
    let supplyShift = onFirstSide ? rc : -rc
    var node = uIn
    for _ in 0..<sizeS {
      pot[node] += node < n ? supplyShift : -supplyShift
      node = thread[node]
    }
  }

  // MARK: - Checks

  /// Verifies the tree bookkeeping and that every tree arc is tight
  /// (debug aid for tests; O(n + m)).
  func checkInvariants() -> Bool {
    let count = nodeCount
    var seen = [Bool](repeating: false, count: count)
    var u = root
    var order = [Int]()
    for _ in 0..<count {
      if seen[u] { return false }
      seen[u] = true
      order.append(u)
      if revThread[thread[u]] != u { return false }
      u = thread[u]
    }
    if u != root { return false }
    var position = [Int](repeating: 0, count: count)
    for k in 0..<count { position[order[k]] = k }
    var size = [Int](repeating: 1, count: count)
    for k in stride(from: count - 1, to: 0, by: -1) {
      let p = parent[order[k]]
      if p < 0 || position[p] >= k { return false }
      size[p] += size[order[k]]
    }
    for v in 0..<count {
      if size[v] != succNum[v] { return false }
      if order[position[v] + size[v] - 1] != lastSucc[v] { return false }
      if v != root {
        if flow[v] < 0 { return false }
        // Strong feasibility: zero-flow arcs point up (supply child).
        if flow[v] == 0 && v >= n { return false }
        if (v < n) == (parent[v] < n) { return false }
        let slack = treeArcCost(v) - pot[v] - pot[parent[v]]
        if !(abs(slack) <= 1e-9 * (1 + abs(treeArcCost(v)) + abs(pot[v]))) { return false }
      }
    }
    return true
  }
}
