import Testing
import NCFTensor
import NCFAutodiff
import NCFTestSupport

/// Finite-difference checks of every differentiable op, in Double, with
/// random shapes and seeds. Every graph reuses at least one node so that
/// gradient accumulation is exercised too.
@Suite struct GradientCheckTests {
  static let tolerance = 1e-6

  func randomShape(_ rng: inout SeededRandom) -> (Int, Int) { (1 + rng.integer(below: 5), 1 + rng.integer(below: 4)) }

  /// A fixed random projection so the scalar output depends on every element.
  func project(_ v: Variable<Double>, seed: UInt64) -> Variable<Double> {
    var rng = SeededRandom(seed: seed)
    let w = v.tape.constant(Tensor<Double>.normal(rows: v.rows, columns: v.columns, using: &rng))
    return (v * w).sum()
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func broadcastingArithmetic(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let (r, c) = randomShape(&rng)
    let a = Tensor<Double>.normal(rows: r, columns: c, using: &rng)
    let col = Tensor<Double>.normal(rows: r, columns: 1, using: &rng)
    let row = Tensor<Double>.uniform(rows: 1, columns: c, low: 1, high: 2, using: &rng)
    let s = Tensor<Double>.uniform(rows: 1, columns: 1, low: 1, high: 2, using: &rng)
    let report = GradientCheck.check(at: [a, col, row, s]) { _, v in
      let x = v[0] * v[1] + v[0] / v[2] - v[3] * v[0]  // v[0] reused
      let y = (x - v[1]) * 3.0 + 2.0 - (-x) / 4.0
      return project(y / v[3], seed: seed)
    }
    #expect(report.maxRelativeError < Self.tolerance, "\(report)")
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matmulWithTransposes(transposes: (Bool, Bool)) {
    var rng = SeededRandom(seed: 21)
    let (m, k, n) = (3, 4, 2)
    let a = Tensor<Double>.normal(rows: transposes.0 ? k : m, columns: transposes.0 ? m : k, using: &rng)
    let b = Tensor<Double>.normal(rows: transposes.1 ? n : k, columns: transposes.1 ? k : n, using: &rng)
    let report = GradientCheck.check(at: [a, b]) { _, v in
      let c = matmul(v[0], v[1], transposeA: transposes.0, transposeB: transposes.1)
      return project(c * c, seed: 5)
    }
    #expect(report.maxRelativeError < Self.tolerance, "\(report)")
  }

  @Test(arguments: ["exp", "log", "tanh", "sigmoid", "softplus", "sin", "cos", "square", "sqrt", "abs", "signedPower", "absPower"])
  func elementwise(name: String) {
    var rng = SeededRandom(seed: UInt64(name.count * 31))
    let (r, c) = randomShape(&rng)
    // Positive inputs away from 0 for log/sqrt; signed inputs away from 0 for abs-type kernels.
    let positive = ["log", "sqrt"].contains(name)
    var x = Tensor<Double>.uniform(rows: r, columns: c, low: positive ? 0.5 : 0.2, high: 2, using: &rng)
    if !positive { x = x.map { rng.uniform() < 0.5 ? -$0 : $0 } }
    let report = GradientCheck.check(at: [x]) { _, v in
      let x = v[0]
      let y: Variable<Double>
      switch name {
      case "exp": y = x.exp()
      case "log": y = x.log()
      case "tanh": y = x.tanh()
      case "sigmoid": y = x.sigmoid()
      case "softplus": y = x.softplus()
      case "sin": y = x.sin()
      case "cos": y = x.cos()
      case "square": y = x.squared()
      case "sqrt": y = x.squareRoot()
      case "abs": y = x.abs()
      case "signedPower": y = x.signedPower(1.7)
      default: y = x.absPower(2.5)
      }
      return project(y * x, seed: 9)
    }
    #expect(report.maxRelativeError < Self.tolerance, "\(name): \(report)")
  }

  @Test func reductions() {
    var rng = SeededRandom(seed: 33)
    let x = Tensor<Double>.normal(rows: 4, columns: 3, using: &rng)
    let report = GradientCheck.check(at: [x]) { _, v in
      let a = v[0].sum(alongAxis: 0), b = v[0].mean(alongAxis: 1)
      return project(v[0] * a, seed: 1) + project(v[0] * b, seed: 2) + v[0].mean() * v[0].sum()
    }
    #expect(report.maxRelativeError < Self.tolerance, "\(report)")
  }

  @Test func shapeOps() {
    var rng = SeededRandom(seed: 34)
    let x = Tensor<Double>.normal(rows: 5, columns: 4, using: &rng)
    let y = Tensor<Double>.normal(rows: 5, columns: 2, using: &rng)
    let report = GradientCheck.check(at: [x, y]) { _, v in
      let cols = v[0].columns(1..<3)
      let cat = concatenateColumns([cols, v[1], v[0].columns(0..<1)])
      let stacked = concatenateRows([cat, cat.rows(2..<4)])
      let g = v[0].gathering(rows: [4, 0, 0, 2])
      let t = g.transposed().reshaped(rows: 2, columns: 8)
      return project(stacked * stacked, seed: 3) + project(t, seed: 4) + project(cat.squared(), seed: 5)
    }
    #expect(report.maxRelativeError < Self.tolerance, "\(report)")
  }

  @Test(arguments: [1, 3, 20])
  func pairwiseDistanceOps(d: Int) {
    var rng = SeededRandom(seed: UInt64(40 + d))
    let a = Tensor<Double>.normal(rows: 6, columns: d, using: &rng)
    let b = Tensor<Double>.normal(rows: 5, columns: d, using: &rng)
    let report = GradientCheck.check(at: [a, b]) { _, v in
      let dm = NCFAutodiff.pairwiseDistances(v[0], v[1])
      let e = meanPairwiseDistance(v[0], v[1]) * 2.0 - meanPairwiseDistance(v[0], v[0], excludingDiagonal: true)
        - meanPairwiseDistance(v[1], v[1], excludingDiagonal: false)
      return project(dm, seed: 6) + e * 3.0
    }
    #expect(report.maxRelativeError < Self.tolerance, "\(report)")
  }

  @Test func distanceGradientIsFiniteAtCoincidentPoints() {
    let tape = Tape<Double>()
    let a = tape.variable(Tensor([[1, 2], [3, 4]]))
    let b = tape.variable(Tensor([[1, 2], [0, 0]]))
    let loss = pairwiseDistances(a, b).sum() + meanPairwiseDistance(a, b) + meanPairwiseDistance(a, a)
    let g = tape.gradients(of: loss, withRespectTo: [a, b])
    #expect(g.allSatisfy { $0.isFinite })
  }

  @Test func gradientWithRespectToAnIntermediateAndUnusedVariables() {
    let tape = Tape<Double>()
    let x = tape.variable(Tensor([[1, 2, 3]]))
    let unused = tape.variable(Tensor([[5]]))
    let y = x * x
    let z = (y * 2.0).sum()
    let g = tape.gradients(of: z, withRespectTo: [y, x, unused])
    #expect(g[0] == Tensor([[2, 2, 2]]))
    #expect(g[1] == Tensor([[4, 8, 12]]))
    #expect(g[2] == Tensor([[0]]))
  }

  @Test func constantsGetNoGradientWork() {
    let tape = Tape<Double>()
    let c = tape.constant(Tensor([[1, 2]]))
    let y = (c * c).sum()
    #expect(!y.requiresGradient)
  }
}
