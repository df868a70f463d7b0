import Testing
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport
import NCFFlows
import Foundation

/// The full NCF objective differentiated through the network: the
/// second-order path (the losses contain ∇ₓu), checked against central
/// differences in Double for both Hamiltonians, both HJ losses, and every
/// activation with and without residual connections.
@Suite struct LossGradientTests {
  static let networks: [(Activation, Bool)] = [(.tanh, false), (.softplus(beta: 4), false), (.softplus(beta: 1), true), (.silu, true)]

  @Test(arguments: [Cost.quadratic, .pnormp(1.5)], [NCFTrainingConfiguration.HJLossKind.implicit, .pinn])
  func totalLossGradientMatchesFiniteDifferences(cost: Cost, kind: NCFTrainingConfiguration.HJLossKind) {
    for (activation, residual) in Self.networks {
      totalLossGradient(cost: cost, kind: kind, activation: activation, residual: residual)
    }
  }

  func totalLossGradient(cost: Cost, kind: NCFTrainingConfiguration.HJLossKind, activation: Activation, residual: Bool) {
    let d = 2
    let mlp = MLP(inputDimension: d + 1, hiddenWidths: residual ? [6, 6, 5] : [6, 5], activation: activation, residual: residual)
    let net = PotentialNetwork(mlp: mlp, quadraticHead: true)
    var p0: ParameterSet<Double> = net.initialParameters(seed: 1)
    var rng = SeededRandom(seed: 2)
    for k in (p0.count - 7)..<p0.count {
      p0.tensors[k] = Tensor.normal(rows: p0.tensors[k].rows, columns: p0.tensors[k].columns, standardDeviation: 0.3, using: &rng)
    }
    let x = Tensor<Double>.normal(rows: 6, columns: d, using: &rng)
    let t = Tensor<Double>.uniform(rows: 6, columns: 1, using: &rng)
    let src = Tensor<Double>.normal(rows: 5, columns: d, using: &rng)
    let tgt = Tensor<Double>.normal(rows: 4, columns: d, mean: 1, using: &rng)
    let h = cost.hamiltonian!
    let fn: (Tape<Double>, [Variable<Double>]) -> Variable<Double> = { tape, v in
      var p = p0
      p.tensors = v.map(\.value)
      let u = NetworkPotential(network: net, parameters: p, variables: v)
      let hj = kind == .implicit
        ? NCFLosses.implicitHJ(u, x: tape.constant(x), t: tape.constant(t), hamiltonian: h).loss
        : NCFLosses.pinnHJ(u, x: tape.constant(x), t: tape.constant(t), hamiltonian: h).loss
      let mapped = NCFLosses.forwardMap(u, x: tape.constant(src), terminalTime: 1, hamiltonian: h).mapped
      let back = NCFLosses.backwardMap(u, y: tape.constant(tgt), terminalTime: 1, hamiltonian: h)
      // Forward and backward energy terms as the trainer combines them.
      return hj + NCFLosses.energyDistance(mapped, tape.constant(tgt)) * 0.7
        + NCFLosses.energyDistance(back, tape.constant(src)) * 0.4 + back.squared().mean()
    }
    // ∇h of the pnormp cost (sign(p)p² here) has a kink in its derivative at p = 0,
    // so the loss is only piecewise smooth in the parameters: a momentum
    // component that changes sign within the stencil (±2h) gives an O(h) error.
    // With h = 10⁻³ one did (error 10⁻⁵, falling linearly with h); 10⁻⁴ keeps
    // every stencil on one side.
    let step = cost == .quadratic ? GradientCheck.defaultStep : 1e-4
    let report = GradientCheck.check(at: p0.tensors, step: step, fn)
    #expect(report.maxRelativeError < 1e-6, "\(cost) \(kind) \(activation) residual=\(residual): \(report)")
  }

  /// For a pure translation by c every cost h(p) with strictly convex h has
  /// the exact solution u(x, t) = p*·x − t·h(p*), ∇h(p*) = c: the implicit HJ
  /// loss must vanish for it with the p-norm Hamiltonian too.
  @Test func translationSolutionHasZeroLossForTheLpCost() {
    let h = PNormHamiltonian(costExponent: 1.5)  // q = 3: ∇h(p) = sign(p) p²
    let c = [0.8, -0.3]
    let pStar = c.map { ($0 < 0 ? -1.0 : 1.0) * abs($0).squareRoot() }
    let hStar = pStar.reduce(0) { $0 + pow(abs($1), 3) / 3 }
    struct Linear: Potential {
      let p: [Double], hp: Double
      var dimension: Int { p.count }
      func valueAndGradient(_ z: Variable<Double>) -> (u: Variable<Double>, g: Variable<Double>) {
        var u = Tensor<Double>.zeros(rows: z.rows, columns: 1), g = Tensor<Double>.zeros(rows: z.rows, columns: p.count + 1)
        for i in 0..<z.rows {
          u[i, 0] = zip(p, z.value.row(i)).reduce(0) { $0 + $1.0 * $1.1 } - z.value[i, p.count] * hp
          for k in 0..<p.count { g[i, k] = p[k] }
          g[i, p.count] = -hp
        }
        return (z.tape.constant(u), z.tape.constant(g))
      }
      func value(_ z: Variable<Double>) -> Variable<Double> { valueAndGradient(z).u }
    }
    var rng = SeededRandom(seed: 3)
    let x = Tensor<Double>.normal(rows: 20, columns: 2, using: &rng)
    let t = Tensor<Double>.uniform(rows: 20, columns: 1, using: &rng)
    let tape = Tape<Double>()
    let u = Linear(p: pStar, hp: hStar)
    #expect(NCFLosses.implicitHJ(u, x: tape.constant(x), t: tape.constant(t), hamiltonian: h).loss.value.scalar < 1e-24)
    #expect(NCFLosses.pinnHJ(u, x: tape.constant(x), t: tape.constant(t), hamiltonian: h).loss.value.scalar < 1e-24)
    let mapped = NCFLosses.forwardMap(u, x: tape.constant(x), terminalTime: 1, hamiltonian: h).mapped.value
    for i in 0..<20 { for k in 0..<2 { #expect(abs(mapped[i, k] - x[i, k] - c[k]) < 1e-12) } }
    // And the cost of that translation is Σ|cᵢ|^1.5 / 1.5.
    #expect(abs(h.cost(from: [0, 0], to: c) - (pow(0.8, 1.5) + pow(0.3, 1.5)) / 1.5) < 1e-12)
  }

  @Test func costsAreConsistentWithTheirHamiltonians() {
    // Legendre duality: L(∇h(p)) = p·∇h(p) − h(p).
    var rng = SeededRandom(seed: 4)
    let p = Tensor<Double>.normal(rows: 10, columns: 3, using: &rng)
    for h in [QuadraticHamiltonian() as any HamiltonianWithLagrangian, PNormHamiltonian(q: 3), PNormHamiltonian(costExponent: 3)] {
      let tape = Tape<Double>()
      let pv = tape.constant(p)
      let g = h.gradient(pv).value, hv = h.value(pv).value
      for i in 0..<10 {
        let lhs = h.lagrangian(g.row(i))
        let rhs = zip(p.row(i), g.row(i)).reduce(0) { $0 + $1.0 * $1.1 } - hv[i, 0]
        #expect(abs(lhs - rhs) < 1e-10, "\(h)")
      }
    }
  }
}
