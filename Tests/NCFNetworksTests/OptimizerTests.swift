import Testing
import Foundation
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTestSupport

@Suite struct OptimizerTests {
  /// Adam on f(θ) = ½(θ − c)ᵀA(θ − c) with an ill-conditioned SPD A.
  @Test func adamMinimisesAConvexQuadratic() {
    var rng = SeededRandom(seed: 1)
    let a = randomSPD(6, lo: 0.1, hi: 10, rng: &rng)
    let c = Tensor<Double>.normal(rows: 6, columns: 1, using: &rng)
    var params = ParameterSet<Double>()
    params.append("theta", .zeros(rows: 6, columns: 1))
    var adam = Adam<Double>()
    let schedule = LearningRateSchedule.cosine(totalSteps: 3000, warmup: 50, finalFraction: 0.001)
    for step in 0..<3000 {
      let diff = params.tensors[0] - c
      let grad = Tensor.matmul(a, diff)
      adam.update(&params, gradients: [grad], learningRate: schedule.rate(at: step, base: 0.05))
    }
    #expect(maxAbsoluteDifference(params.tensors[0], c) < 1e-4)
  }

  @Test func clippingAndWeightDecay() {
    var params = ParameterSet<Double>()
    params.append("w", Tensor([[1, 1]]))
    var adam = Adam<Double>(weightDecay: 0.5, gradientClipNorm: 1)
    let norm = adam.update(&params, gradients: [Tensor([[300, 400]])], learningRate: 0.1)
    #expect(abs(norm - 500) < 1e-9)
    // First Adam step moves each coordinate by lr·sign(g) (bias-corrected), plus decay lr·λ·θ.
    #expect(abs(params.tensors[0][0, 0] - (1 - 0.1 - 0.05)) < 1e-6)
  }

  @Test func schedules() {
    let cos = LearningRateSchedule.cosine(totalSteps: 110, warmup: 10, finalFraction: 0.1)
    #expect(abs(cos.rate(at: 0, base: 1) - 0.1) < 1e-12)
    #expect(abs(cos.rate(at: 10, base: 1) - 1) < 1e-12)
    #expect(abs(cos.rate(at: 60, base: 1) - 0.55) < 1e-12)
    #expect(abs(cos.rate(at: 110, base: 1) - 0.1) < 1e-12)
    let step = LearningRateSchedule.step(every: 100, factor: 0.5)
    #expect(step.rate(at: 99, base: 1) == 1 && step.rate(at: 250, base: 1) == 0.25)
    #expect(LearningRateSchedule.constant.rate(at: 1000, base: 0.3) == 0.3)
    for x in stride(from: 0.0, through: 1.0, by: 0.01) {
      let r = LearningRateSchedule.cosine(totalSteps: 100, warmup: 0, finalFraction: 0).rate(at: Int(x * 100), base: 1)
      #expect(abs(r - 0.5 * (1 + Foundation.cos(Double.pi * Double(Int(x * 100)) / 100))) < 1e-13)
    }
  }

  /// A tiny MLP fits a smooth 2-D function through the tape and Adam.
  @Test func tinyMLPFitsASmoothFunction() {
    let net = MLP(inputDimension: 2, hiddenWidths: [32, 32], activation: .tanh)
    var params: ParameterSet<Float> = net.initialParameters(seed: 2)
    var rng = SeededRandom(seed: 3)
    let x = Tensor<Float>.uniform(rows: 256, columns: 2, low: -1, high: 1, using: &rng)
    let y = Tensor<Float>(rows: 256, columns: 1) { out in
      for i in 0..<256 { out[i] = Float(Foundation.sin(2 * Double(x[i, 0])) * Foundation.cos(Double(x[i, 1]))) }
    }
    var adam = Adam<Float>()
    var last: Float = .infinity
    let initial: Float = {
      let t = Tape<Float>()
      return (net.value(t.constant(x), parameters: params, variables: params.constants(on: t)) - t.constant(y)).squared().mean().value.scalar
    }()
    for step in 0..<1500 {
      let tape = Tape<Float>()
      let v = params.variables(on: tape)
      let loss = (net.value(tape.constant(x), parameters: params, variables: v) - tape.constant(y)).squared().mean()
      last = loss.value.scalar
      adam.update(&params, gradients: tape.gradients(of: loss, withRespectTo: v),
                  learningRate: LearningRateSchedule.cosine(totalSteps: 1500, warmup: 0, finalFraction: 0.01).rate(at: step, base: 1e-2))
    }
    #expect(initial > 0.05)
    #expect(last < 1e-3, "final MSE \(last) (the target's variance is about 0.43)")
  }
}
