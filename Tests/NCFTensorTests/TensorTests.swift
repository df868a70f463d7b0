import Testing
import Foundation
import NCFTensor
import NCFTestSupport

@Suite struct TensorTests {
  @Test func broadcastingMatchesExplicitLoops() {
    var rng = SeededRandom(seed: 11)
    let a = Tensor<Double>.normal(rows: 5, columns: 3, using: &rng)
    let col = Tensor<Double>.normal(rows: 5, columns: 1, using: &rng)
    let row = Tensor<Double>.normal(rows: 1, columns: 3, using: &rng)
    let s = Tensor<Double>(scalar: 2.5)
    for (b, name) in [(a, "same"), (col, "column"), (row, "row"), (s, "scalar")] {
      let sum = a + b, prod = b * a, quot = a / b, diff = b - a
      for i in 0..<5 {
        for j in 0..<3 {
          let bij = b[b.rows == 1 ? 0 : i, b.columns == 1 ? 0 : j]
          #expect(sum[i, j] == a[i, j] + bij, "\(name)")
          #expect(prod[i, j] == bij * a[i, j], "\(name)")
          #expect(quot[i, j] == a[i, j] / bij, "\(name)")
          #expect(diff[i, j] == bij - a[i, j], "\(name)")
        }
      }
    }
    // Column against row broadcasts to the outer shape.
    let outer = col * row
    #expect(outer.rows == 5 && outer.columns == 3)
    #expect(outer[4, 2] == col[4, 0] * row[0, 2])
  }

  @Test func reducedIsTheAdjointOfBroadcasting() {
    var rng = SeededRandom(seed: 12)
    let g = Tensor<Double>.normal(rows: 4, columns: 6, using: &rng)
    let r = g.reduced(toRows: 1, columns: 6), c = g.reduced(toRows: 4, columns: 1), s = g.reduced(toRows: 1, columns: 1)
    for j in 0..<6 { #expect(abs(r[0, j] - (0..<4).map { g[$0, j] }.reduce(0, +)) < 1e-12) }
    for i in 0..<4 { #expect(abs(c[i, 0] - g.row(i).reduce(0, +)) < 1e-12) }
    #expect(abs(s.scalar - g.scalars.reduce(0, +)) < 1e-12)
  }

  @Test(arguments: [0, 1, 7, 16, 17, 100, 1001])
  func reductionsMatchNaive(count: Int) {
    var rng = SeededRandom(seed: UInt64(count))
    let t = Tensor<Float>.normal(rows: 1, columns: count, using: &rng)
    let naive = t.scalars.reduce(0.0) { $0 + Double($1) }
    #expect(abs(Double(t.sum()) - naive) < 1e-4)
    #expect(abs(Double(t.squaredNorm()) - t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }) < 1e-3)
  }

  @Test func axisSumsRowNormsAndSlices() {
    let t = Tensor<Double>([[1, 2, 3], [4, 5, 6]])
    #expect(t.sum(alongAxis: 0) == Tensor(row: [5, 7, 9]))
    #expect(t.sum(alongAxis: 1) == Tensor(column: [6, 15]))
    #expect(t.mean(alongAxis: 1) == Tensor(column: [2, 5]))
    #expect(t.rowSquaredNorms() == Tensor(column: [14, 77]))
    #expect(t.columns(1..<3) == Tensor([[2, 3], [5, 6]]))
    #expect(t.rows(1..<2) == Tensor([[4, 5, 6]]))
    #expect(t.gathering(rows: [1, 1, 0]) == Tensor([[4, 5, 6], [4, 5, 6], [1, 2, 3]]))
    #expect(t.transposed() == Tensor([[1, 4], [2, 5], [3, 6]]))
    #expect(Tensor.concatenatingColumns([t, t.columns(0..<1)]) == Tensor([[1, 2, 3, 1], [4, 5, 6, 4]]))
    #expect(Tensor.concatenatingRows([t, t.rows(0..<1)]).rows == 3)
  }
}

@Suite struct VectorMathTests {
  /// Inputs spanning the interesting ranges, including the kernels' edges.
  static let inputs: [Float] = {
    var xs: [Float] = [0, -0.0, 1e-8, -1e-8, 0.01, 0.0625, -0.0625, 0.5, 1, -1, 3, -3, 9, -9, 20, -20, 40, -40, 87, -87]
    for i in 0..<2000 { xs.append(Float(i - 1000) * 0.0173) }
    return xs
  }()

  func apply(_ xs: [Float], _ f: (Tensor<Float>) -> Tensor<Float>) -> [Float] {
    f(Tensor(row: xs)).scalars
  }

  @Test func expIsAccurate() {
    let ys = apply(Self.inputs) { $0.exp() }
    for (x, y) in zip(Self.inputs, ys) {
      let ref = Foundation.exp(Double(x))
      #expect(abs(Double(y) - ref) <= 4e-7 * ref, "exp(\(x)) = \(y), expected \(ref)")
    }
  }

  @Test func logIsAccurate() {
    let xs: [Float] = Self.inputs.map { Swift.abs($0) + 1e-6 } + [1, 2, 0.5, 1e30, 1e-30, Float.greatestFiniteMagnitude]
    let ys = apply(xs) { $0.log() }
    for (x, y) in zip(xs, ys) {
      let ref = Foundation.log(Double(x))
      #expect(abs(Double(y) - ref) <= 3e-7 * max(1, Swift.abs(ref)), "log(\(x)) = \(y), expected \(ref)")
    }
    let special = apply([0, -1, .infinity, .nan]) { $0.log() }
    #expect(special[0] == -.infinity)
    #expect(special[1].isNaN)
    #expect(special[2] == .infinity)
    #expect(special[3].isNaN)
  }

  @Test func tanhSigmoidSoftplusAreAccurate() {
    let t = apply(Self.inputs) { $0.tanh() }
    let s = apply(Self.inputs) { $0.sigmoid() }
    let p = apply(Self.inputs) { $0.softplus() }
    for (i, x) in Self.inputs.enumerated() {
      let xd = Double(x)
      #expect(abs(Double(t[i]) - Foundation.tanh(xd)) < 3e-7, "tanh(\(x))")
      #expect(abs(Double(s[i]) - 1 / (1 + Foundation.exp(-xd))) < 3e-7, "sigmoid(\(x))")
      let sp = max(xd, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(xd)))
      #expect(abs(Double(p[i]) - sp) <= 3e-7 * max(1, sp), "softplus(\(x))")
    }
    // tanh is odd and bounded.
    #expect(apply([-100, 100]) { $0.tanh() } == [-1, 1])
  }

  @Test func doubleKernelsMatchLibm() {
    let xs = Tensor<Double>(row: [-30, -2, -0.1, 0, 0.1, 2, 30])
    for (x, y) in zip(xs.scalars, xs.softplus().scalars) {
      #expect(abs(y - (max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))))) < 1e-15)
    }
    for (x, y) in zip(xs.scalars, xs.sigmoid().scalars) { #expect(abs(y - 1 / (1 + Foundation.exp(-x))) < 1e-15) }
  }
}
