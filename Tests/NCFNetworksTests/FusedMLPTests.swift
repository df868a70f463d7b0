import Testing
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTestSupport

/// The fused value + input-gradient op and its hand-derived second-order VJP.
@Suite struct FusedMLPTests {
  static let activations: [Activation] = [.tanh, .softplus(beta: 1), .softplus(beta: 4), .silu]

  func network(_ act: Activation, residual: Bool) -> MLP {
    MLP(inputDimension: 3, hiddenWidths: residual ? [5, 5, 4] : [5, 4], activation: act, residual: residual)
  }

  @Test(arguments: activations, [false, true])
  func inputGradientMatchesFiniteDifferences(act: Activation, residual: Bool) {
    let net = network(act, residual: residual)
    let p: ParameterSet<Double> = net.initialParameters(seed: 3)
    var rng = SeededRandom(seed: 4)
    let z = Tensor<Double>.normal(rows: 6, columns: 3, using: &rng)
    let (u, g, _) = net.forward(z, parameters: p, inputGradient: true)
    for i in 0..<z.rows {
      let report = GradientCheck.compare([g!.rows(i..<(i + 1))], at: [z.rows(i..<(i + 1))]) {
        net.forward($0[0], parameters: p, inputGradient: false).u.scalar
      }
      #expect(report.maxRelativeError < 1e-6, "\(act) residual=\(residual) row \(i): \(report)")
    }
    // The value-only pass agrees with the fused one.
    #expect(net.forward(z, parameters: p, inputGradient: false).u == u)
  }

  /// The second-order path: f(u, G) = Σaᵢuᵢ + Σbᵢⱼ Gᵢⱼ + Σ Gᵢⱼ², differentiated
  /// with respect to every parameter and to Z, against central differences.
  @Test(arguments: activations, [false, true])
  func secondOrderVJPMatchesFiniteDifferences(act: Activation, residual: Bool) {
    let net = network(act, residual: residual)
    let p0: ParameterSet<Double> = net.initialParameters(seed: 5)
    var rng = SeededRandom(seed: 6)
    let z = Tensor<Double>.normal(rows: 4, columns: 3, using: &rng)
    let a = Tensor<Double>.normal(rows: 4, columns: 1, using: &rng)
    let b = Tensor<Double>.normal(rows: 4, columns: 3, using: &rng)
    // Perturb the biases so that no parameter sits at a special point.
    var inputs = [z] + p0.tensors.map { t in t.map { $0 + 0.1 * rng.normal() } }
    inputs = inputs.map { $0 }
    let report = GradientCheck.check(at: inputs) { tape, v in
      var p = p0
      p.tensors = v[1...].map(\.value)
      let (u, g) = net.valueAndInputGradient(v[0], parameters: p, variables: Array(v[1...]))
      return (u * tape.constant(a)).sum() + (g * tape.constant(b)).sum() + g.squared().sum()
    }
    #expect(report.maxRelativeError < 1e-6, "\(act) residual=\(residual): \(report)")
  }

  @Test(arguments: activations)
  func valueOnlyVJPMatchesFiniteDifferences(act: Activation) {
    let net = network(act, residual: false)
    let p0: ParameterSet<Double> = net.initialParameters(seed: 7)
    var rng = SeededRandom(seed: 8)
    let z = Tensor<Double>.normal(rows: 5, columns: 3, using: &rng)
    let report = GradientCheck.check(at: [z] + p0.tensors) { tape, v in
      var p = p0
      p.tensors = v[1...].map(\.value)
      let u = net.value(v[0], parameters: p, variables: Array(v[1...]))
      return (u * u).sum()
    }
    #expect(report.maxRelativeError < 1e-6, "\(act): \(report)")
  }

  /// The NCF-loss pattern: G feeds the input of a second evaluation
  /// u(z − t·G) whose gradient flows back through G (and so through the VJP's
  /// Z̄ and Ḡ paths together).
  @Test(arguments: activations)
  func nestedEvaluationThroughTheGradient(act: Activation) {
    let net = network(act, residual: true)
    let p0: ParameterSet<Double> = net.initialParameters(seed: 9)
    var rng = SeededRandom(seed: 10)
    let z = Tensor<Double>.normal(rows: 3, columns: 3, using: &rng)
    let report = GradientCheck.check(at: p0.tensors) { tape, v in
      var p = p0
      p.tensors = v.map(\.value)
      let (u, g) = net.valueAndInputGradient(tape.constant(z), parameters: p, variables: v)
      let shifted = tape.constant(z) - g * 0.5
      let u0 = net.value(shifted, parameters: p, variables: v)
      return (u - u0).squared().mean() + g.squared().mean()
    }
    #expect(report.maxRelativeError < 1e-6, "\(act): \(report)")
  }

  /// The fused op and the same computation written with generic tape ops
  /// agree in value, input gradient and parameter gradients (Float).
  @Test(arguments: activations)
  func fusedAgreesWithComposedTapeOps(act: Activation) {
    let net = MLP(inputDimension: 5, hiddenWidths: [16, 16, 8], activation: act, residual: true)
    let p: ParameterSet<Float> = net.initialParameters(seed: 11)
    var rng = SeededRandom(seed: 12)
    let z = Tensor<Float>.normal(rows: 32, columns: 5, using: &rng)
    func loss(_ fused: Bool) -> (Tensor<Float>, Tensor<Float>, [Tensor<Float>]) {
      let tape = Tape<Float>()
      let v = p.variables(on: tape)
      let zv = tape.variable(z)
      let (u, g) = fused ? net.valueAndInputGradient(zv, parameters: p, variables: v)
                         : net.valueAndInputGradientComposed(zv, variables: v)
      let l = (u * u).mean() + (g * g).sum()
      return (u.value, g.value, tape.gradients(of: l, withRespectTo: [zv] + v))
    }
    let (uf, gf, df) = loss(true), (uc, gc, dc) = loss(false)
    #expect(maxRelativeDifference(uf, uc) < 1e-5)
    #expect(maxRelativeDifference(gf, gc) < 1e-5)
    for (a, b) in zip(df, dc) { #expect(maxRelativeDifference(a, b) < 1e-4) }
  }

  @Test func parameterNamesShapesAndCount() {
    let net = MLP(inputDimension: 3, hiddenWidths: [8, 4], activation: .tanh)
    let p: ParameterSet<Float> = net.initialParameters(seed: 1)
    #expect(p.names == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias", "output.weight", "output.bias"])
    #expect(p.scalarCount == net.parameterCount)
    #expect(net.parameterCount == 3 * 8 + 8 + 8 * 4 + 4 + 4 + 1)
    #expect(net.validate(p) == nil)
    var bad = p
    bad["layer1.bias"] = nil  // no-op: assigning nil leaves it
    #expect(net.validate(bad) == nil)
    #expect(p == net.initialParameters(seed: 1))
    #expect(p != net.initialParameters(seed: 2))
  }
}

@Suite struct ActivationTests {
  @Test(arguments: FusedMLPTests.activations)
  func derivativesMatchFiniteDifferences(act: Activation) {
    let x = Tensor<Double>(row: stride(from: -4.0, through: 4.0, by: 0.37).map { $0 })
    let h = 1e-5
    let (_, d1, d2) = act.evaluate(x, order: 2)
    let (yp, d1p, _) = act.evaluate(x + h, order: 1)
    let (ym, d1m, _) = act.evaluate(x - h, order: 1)
    #expect(maxAbsoluteDifference((yp - ym) / (2 * h), d1!) < 1e-8)
    #expect(maxAbsoluteDifference((d1p! - d1m!) / (2 * h), d2!) < 1e-8)
  }

  @Test func parsing() {
    #expect(Activation("tanh") == .tanh)
    #expect(Activation("softplus") == .softplus(beta: 1))
    #expect(Activation("softplus:10") == .softplus(beta: 10))
    #expect(Activation("silu") == .silu)
    #expect(Activation("relu") == nil)
    #expect(Activation("softplus:-1") == nil)
    // Networks run in Float: a β that Float cannot hold would make every value NaN.
    #expect(Activation("softplus:1e300") == nil)
    #expect(Activation("softplus:nan") == nil && Activation("softplus:0") == nil)
  }
}
