import Testing
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFFlows

/// The whole potential's space-time gradient (∇ₓu, ∂ₜu), as the network
/// computes it (fused MLP op plus the hand-written Gaussian-head gradient),
/// against finite differences of its value u, at random points, for every
/// activation, with and without residual connections and head. The loss
/// tests cannot see an error here: both of their paths use the same gradient.
@Suite struct PotentialGradientTests {
  static let networks: [(Activation, Bool)] = [
    (.tanh, false), (.tanh, true), (.softplus(beta: 1), false), (.softplus(beta: 4), true),
    (.softplus(beta: 4), false), (.silu, false), (.silu, true),
  ]

  /// A network with every parameter away from special values: perturbed
  /// biases, and a head with non-symmetric Aₖ (the head symmetrises them),
  /// non-zero m, δ and c.
  static func randomNetwork(_ act: Activation, residual: Bool, head: Bool, d: Int, seed: UInt64)
    -> (PotentialNetwork, ParameterSet<Double>)
  {
    let net = PotentialNetwork(
      mlp: MLP(inputDimension: d + 1, hiddenWidths: residual ? [6, 6, 5] : [6, 5], activation: act, residual: residual),
      quadraticHead: head)
    var p: ParameterSet<Double> = net.initialParameters(seed: seed)
    var rng = SeededRandom(seed: seed &+ 100)
    for k in 0..<p.count {
      let t = p.tensors[k]
      let isHead = p.names[k].hasPrefix("head.")
      p.tensors[k] = t + Tensor.normal(rows: t.rows, columns: t.columns, standardDeviation: isHead ? 0.5 : 0.1, using: &rng)
    }
    return (net, p)
  }

  @Test(arguments: networks, [true, false])
  func spaceTimeGradientMatchesFiniteDifferencesOfTheValue(network: (Activation, Bool), head: Bool) throws {
    let (act, residual) = network
    let d = 3
    let (net, p) = Self.randomNetwork(act, residual: residual, head: head, d: d, seed: 11)
    var rng = SeededRandom(seed: 12)
    let x = Tensor<Double>.normal(rows: 6, columns: d, using: &rng)
    let t = Tensor<Double>.uniform(rows: 6, columns: 1, low: 0, high: 1, using: &rng)
    let z = Tensor.concatenatingColumns([x, t])

    let tape = Tape<Double>()
    let (u, g) = net.valueAndGradient(tape.constant(z), parameters: p, variables: p.constants(on: tape))
    // The fused pass and the value-only pass agree on u.
    let uOnly = net.value(tape.constant(z), parameters: p, variables: p.constants(on: tape))
    #expect(maxRelativeDifferenceOf(u.value, uOnly.value) < 1e-12)

    func value(_ row: Tensor<Double>) -> Double {
      let tape = Tape<Double>()
      return net.value(tape.constant(row), parameters: p, variables: p.constants(on: tape)).value.scalar
    }
    for i in 0..<z.rows {
      let report = GradientCheck.compare([g.value.rows(i..<(i + 1))], at: [z.rows(i..<(i + 1))]) { value($0[0]) }
      #expect(report.maxRelativeError < 1e-6, "\(act) residual=\(residual) head=\(head) point \(i): \(report)")
    }
  }

  /// The head alone (MLP output weights at zero) against its closed form
  /// q = ½wᵀP(t)w + δᵀx − (t/2)|δ|² + c·t, so that its value cannot be wrong
  /// in the same way as its gradient.
  @Test func headValueMatchesItsFormula() {
    let d = 2
    var (net, p) = Self.randomNetwork(.tanh, residual: false, head: true, d: d, seed: 21)
    p["output.weight"] = .zeros(rows: 5, columns: 1)
    p["output.bias"] = .zeros(rows: 1, columns: 1)
    let z = Tensor<Double>([[0.3, -1.2, 0.4], [1.5, 0.2, 0.9]])
    let tape = Tape<Double>()
    let u = net.value(tape.constant(z), parameters: p, variables: p.constants(on: tape)).value
    let a = (0..<4).map { k in p["head.A\(k)"]! }, m = p["head.m"]!, delta = p["head.delta"]!, c = p["head.c"]![0, 0]
    for i in 0..<z.rows {
      let tt = z[i, d]
      let w = (0..<d).map { z[i, $0] - m[$0, 0] - tt * delta[$0, 0] }
      var quadratic = 0.0
      for r in 0..<d {
        for s in 0..<d {
          let sym = (0..<4).reduce(0.0) { $0 + Double.pow(tt, Double($1)) * 0.5 * (a[$1][r, s] + a[$1][s, r]) }
          quadratic += 0.5 * w[r] * sym * w[s]
        }
      }
      let linear = (0..<d).reduce(0.0) { $0 + delta[$1, 0] * z[i, $1] }
      let deltaSquared = (0..<d).reduce(0.0) { $0 + delta[$1, 0] * delta[$1, 0] }
      let expected = quadratic + linear - tt / 2 * deltaSquared + c * tt
      #expect(abs(u[i, 0] - expected) < 1e-12 * max(1, abs(expected)), "row \(i): \(u[i, 0]) vs \(expected)")
    }
  }

  func maxRelativeDifferenceOf(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    zip(a.scalars, b.scalars).reduce(0.0) { max($0, abs($1.0 - $1.1) / max(1, abs($1.1))) }
  }
}
