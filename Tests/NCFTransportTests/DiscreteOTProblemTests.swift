import Foundation
import Testing
import NCFTensor
import NCFTestSupport
import NCFTransport

@Suite struct DiscreteOTProblemTests {
  @Test func costMatricesMatchTheirDefinitions() {
    var rng = SeededRandom(seed: 31)
    let x = Tensor<Double>.normal(rows: 9, columns: 3, using: &rng)
    let y = Tensor<Double>.normal(rows: 7, columns: 3, using: &rng)
    let half = Cost.quadratic.matrix(x, y)
    let sq = Cost.sqeuclidean.matrix(x, y)
    let eu = Cost.euclidean.matrix(x, y)
    let p3 = Cost.lp(3).matrix(x, y)
    let q3 = Cost.pnormp(3).matrix(x, y)
    for i in 0..<9 {
      for j in 0..<7 {
        let d = (0..<3).map { x[i, $0] - y[j, $0] }
        let s2 = d.reduce(0) { $0 + $1 * $1 }
        let s3 = d.reduce(0) { $0 + pow(abs($1), 3) }
        #expect(abs(half[i, j] - 0.5 * s2) <= 1e-14)
        #expect(abs(sq[i, j] - s2) <= 1e-14)
        #expect(abs(eu[i, j] - s2.squareRoot()) <= 1e-14)
        #expect(abs(p3[i, j] - s3) <= 1e-13)
        #expect(abs(q3[i, j] - s3 / 3) <= 1e-13)
      }
    }
  }

  /// The NCF side's cost (t_f·L((y − x)/t_f) of the cost's Hamiltonian, at
  /// t_f = 1) is the discrete side's cost matrix: one meaning per spelling.
  @Test(arguments: [Cost.quadratic, .pnormp(3), .pnormp(1.5)])
  func hamiltonianCostsAreTheCostMatrices(cost: Cost) throws {
    var rng = SeededRandom(seed: 32)
    let x = Tensor<Double>.normal(rows: 6, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: 5, columns: 2, using: &rng)
    let h = try #require(cost.hamiltonian)
    let problem = try DiscreteOTProblem(source: x, target: y, cost: cost)
    for i in 0..<6 {
      for j in 0..<5 {
        let pointwise = h.cost(from: x.row(i), to: y.row(j))
        #expect(abs(problem.cost[i, j] - pointwise) <= 1e-14 * max(1, pointwise), "\(cost) [\(i), \(j)]")
      }
    }
  }

  @Test func defaultWeightsAreUniformAndToleranceIsRelative() throws {
    let c = Tensor<Double>(rows: 4, columns: 5, repeating: 1)
    let p = try DiscreteOTProblem(cost: c)
    #expect(p.a == [Double](repeating: 0.25, count: 4) && p.b == [Double](repeating: 0.2, count: 5))
    // Within the default 1e-9 relative tolerance: accepted; outside: rejected.
    _ = try DiscreteOTProblem(a: [1e6, 1e6], b: [1e6, 1e6 + 1e-4], cost: Tensor(rows: 2, columns: 2, repeating: 0))
    #expect(throws: DiscreteOTError.self) {
      try DiscreteOTProblem(a: [1, 1], b: [1, 1 + 1e-6], cost: Tensor(rows: 2, columns: 2, repeating: 0))
    }
  }

  @Test func errorsDescribeTheProblem() {
    do {
      _ = try DiscreteOTProblem(a: [1, 1], b: [1, 2], cost: Tensor(rows: 2, columns: 2, repeating: 0))
      Issue.record("unbalanced masses must throw")
    } catch {
      #expect("\(error)".contains("normalizingMasses"))
    }
  }
}
