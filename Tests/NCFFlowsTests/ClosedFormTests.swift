import Testing
import NCFTensor
import NCFAutodiff
import NCFTransport
import NCFFlows
import NCFTestSupport

/// The Gaussian closed form u* goes through the real loss and map code.
@Suite struct ClosedFormTests {
  /// A random Gaussian pair with random means.
  static func randomPair(dimension d: Int, seed: UInt64) throws -> GaussianOT {
    var rng = SeededRandom(seed: seed)
    let m0 = (0..<d).map { _ in rng.normal() }, m1 = (0..<d).map { _ in rng.normal() }
    let s0 = GaussianBenchmark.randomCovariance(dimension: d, using: &rng)
    let s1 = GaussianBenchmark.randomCovariance(dimension: d, using: &rng)
    return try GaussianOT(source: Gaussian(mean: m0, covariance: s0), target: Gaussian(mean: m1, covariance: s1))
  }

  static let cases: [(Int, UInt64)] = [(1, 1), (2, 2), (3, 3), (5, 4), (8, 5)]

  /// 64 source points of `pair` and times in [0, 1] (seeded), as constants on a fresh tape.
  static func collocation(_ pair: GaussianOT, seed: UInt64) -> (x: Variable<Double>, t: Variable<Double>) {
    var rng = SeededRandom(seed: seed)
    let x: Tensor<Double> = pair.source.sample(64, using: &rng)
    let t = Tensor<Double>.uniform(rows: 64, columns: 1, using: &rng)
    let tape = Tape<Double>()
    return (tape.constant(x), tape.constant(t))
  }

  @Test(arguments: cases)
  func implicitHJLossOfTheExactSolutionVanishes(d: Int, seed: UInt64) throws {
    let pair = try Self.randomPair(dimension: d, seed: seed)
    let (x, t) = Self.collocation(pair, seed: seed + 100)
    let u = GaussianPotential<Double>(pair)
    let (loss, residual) = NCFLosses.implicitHJ(u, x: x, t: t, hamiltonian: QuadraticHamiltonian())
    #expect(loss.value.scalar < 1e-20, "L_HJ(u*) = \(loss.value.scalar)")
    #expect(residual.value.maxAbs() < 1e-10)
    let pinn = NCFLosses.pinnHJ(u, x: x, t: t, hamiltonian: QuadraticHamiltonian())
    #expect(pinn.loss.value.scalar < 1e-20)
  }

  /// u* + ε x₁² is not a solution: the same code must report a positive loss.
  @Test(arguments: cases)
  func perturbedSolutionHasPositiveLoss(d: Int, seed: UInt64) throws {
    let pair = try Self.randomPair(dimension: d, seed: seed)
    let (x, t) = Self.collocation(pair, seed: seed + 200)
    let u = Perturbed(base: GaussianPotential<Double>(pair), epsilon: 0.05)
    let loss = NCFLosses.implicitHJ(u, x: x, t: t, hamiltonian: QuadraticHamiltonian()).loss
    #expect(loss.value.scalar > 1e-6, "L_HJ = \(loss.value.scalar)")
    let pinn = NCFLosses.pinnHJ(u, x: x, t: t, hamiltonian: QuadraticHamiltonian()).loss
    #expect(pinn.value.scalar > 1e-6)
  }

  @Test(arguments: cases)
  func mapsOfTheExactSolutionAreTheBrenierMaps(d: Int, seed: UInt64) throws {
    let pair = try Self.randomPair(dimension: d, seed: seed)
    var rng = SeededRandom(seed: seed + 300)
    let x: Tensor<Double> = pair.source.sample(50, using: &rng)
    let y: Tensor<Double> = pair.target.sample(50, using: &rng)
    let tape = Tape<Double>()
    let u = GaussianPotential<Double>(pair)
    let fwd = NCFLosses.forwardMap(u, x: tape.constant(x), terminalTime: 1, hamiltonian: QuadraticHamiltonian()).mapped.value
    let bwd = NCFLosses.backwardMap(u, y: tape.constant(y), terminalTime: 1, hamiltonian: QuadraticHamiltonian()).value
    #expect(maxAbsoluteDifference(fwd, pair.forward(x)) < 1e-10)
    #expect(maxAbsoluteDifference(bwd, pair.backward(y)) < 1e-10)
    // UVP of the exact map is 0; of a wrong one, positive.
    #expect(unexplainedVariancePercentage(estimate: fwd, truth: pair.forward(x), totalVariance: pair.target.totalVariance) < 1e-16)
    #expect(unexplainedVariancePercentage(estimate: x, truth: pair.forward(x), totalVariance: pair.target.totalVariance) > 0.1)
    #expect(abs(displacementCosine(source: x, estimate: fwd, truth: pair.forward(x)) - 1) < 1e-12)
  }

  @Test func brenierMapPushesSourceCovarianceToTarget() throws {
    let pair = try Self.randomPair(dimension: 4, seed: 9)
    // Γ Σ₀ Γ = Σ₁ and Γ symmetric positive definite.
    let push = Tensor.matmul(Tensor.matmul(pair.gamma, pair.source.covariance), pair.gamma)
    #expect(maxAbsoluteDifference(push, pair.target.covariance) < 1e-10)
    #expect(maxAbsoluteDifference(pair.gamma, pair.gamma.transposed()) < 1e-12)
    #expect(try LinearAlgebra.symmetricEigen(pair.gamma).values.allSatisfy { $0 > 0 })
    // W₂² equals E|x − T*(x)|² estimated by Monte Carlo (within its error).
    var rng = SeededRandom(seed: 10)
    let x: Tensor<Double> = pair.source.sample(200_000, using: &rng)
    let tx = pair.forward(x)
    let mc = (0..<x.rows).reduce(0.0) { acc, i in acc + zip(x.row(i), tx.row(i)).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } / Double(x.rows)
    #expect(abs(mc - pair.squaredW2) < 0.02 * pair.squaredW2 + 1e-3)
  }
}

/// u*(x, t) + ε·x₁²: a potential that is not a viscosity solution.
struct Perturbed: Potential {
  let base: GaussianPotential<Double>
  let epsilon: Double
  var dimension: Int { base.dimension }
  func valueAndGradient(_ z: Variable<Double>) -> (u: Variable<Double>, g: Variable<Double>) {
    let (u, g) = base.valueAndGradient(z)
    var extra = Tensor<Double>.zeros(rows: z.rows, columns: z.columns)
    var bump = Tensor<Double>.zeros(rows: z.rows, columns: 1)
    for i in 0..<z.rows {
      let x1 = z.value[i, 0]
      bump[i, 0] = epsilon * x1 * x1
      extra[i, 0] = 2 * epsilon * x1
    }
    return (u + z.tape.constant(bump), g + z.tape.constant(extra))
  }
  func value(_ z: Variable<Double>) -> Variable<Double> { valueAndGradient(z).u }
}
