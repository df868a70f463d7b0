import Foundation
import Testing
import NCFTensor
import NCFTestSupport
import NCFTransport

@Suite struct DiscreteOTProblemTests {
  @Test func groundCostsMatchTheirDefinitions() {
    var rng = SeededRandom(seed: 31)
    let x = Tensor<Double>.normal(rows: 9, columns: 3, using: &rng)
    let y = Tensor<Double>.normal(rows: 7, columns: 3, using: &rng)
    let sq = GroundCost.squaredEuclidean(scale: 0.5).matrix(x, y)
    let eu = GroundCost.euclidean.matrix(x, y)
    let p3 = GroundCost.minkowskiPower(p: 3).matrix(x, y)
    for i in 0..<9 {
      for j in 0..<7 {
        let d = (0..<3).map { x[i, $0] - y[j, $0] }
        let s2 = d.reduce(0) { $0 + $1 * $1 }
        #expect(abs(sq[i, j] - 0.5 * s2) <= 1e-14)
        #expect(abs(eu[i, j] - s2.squareRoot()) <= 1e-14)
        #expect(abs(p3[i, j] - d.reduce(0) { $0 + pow(abs($1), 3) }) <= 1e-13)
      }
    }
  }

  @Test func hamiltonianCostsAreTheLagrangianCosts() throws {
    var rng = SeededRandom(seed: 32)
    let x = Tensor<Double>.normal(rows: 6, columns: 2, using: &rng)
    let y = Tensor<Double>.normal(rows: 5, columns: 2, using: &rng)
    for tf in [1.0, 2.0] {
      let quadratic = try DiscreteOTProblem(source: x, target: y, hamiltonian: QuadraticHamiltonian(), terminalTime: tf)
      let reference = QuadraticHamiltonian().costMatrix(x, y, terminalTime: tf)
      #expect(maxAbsoluteDifference(quadratic.cost, reference) <= 1e-14)
      let pnorm = try DiscreteOTProblem(source: x, target: y, hamiltonian: PNormHamiltonian(q: 3), terminalTime: tf)
      #expect(maxAbsoluteDifference(pnorm.cost, PNormHamiltonian(q: 3).costMatrix(x, y, terminalTime: tf)) <= 1e-14)
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
