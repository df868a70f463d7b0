import Foundation
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport
import NCFFlows

/// `ncf bench kernels`: GEMM throughput at the network's shapes and the cost
/// of one fused value + input-gradient + VJP pass, against the same pass
/// written with generic tape ops, all measured in this process.
enum KernelBenchmark {
  static func run(batch: Int, inputDimension: Int, width: Int, depth: Int, threads: Int) -> String {
    BLASThreads.set(threads)
    var out = "Kernel benchmark: batch \(batch), input \(inputDimension), width \(width), depth \(depth), Float, BLAS threads \(BLASThreads.current)\n\n"
    var rng = SeededRandom(seed: 1)

    // GEMM at the shapes of one hidden layer.
    var gemmTable = MarkdownTable(header: ["GEMM (M×K·K×N)", "op", "best ms", "GFLOP/s"])
    var peak = 0.0
    for (m, k, n) in [(batch, inputDimension, width), (batch, width, width)] {
      for (tA, tB, name) in [(false, false, "NN"), (false, true, "NT"), (true, false, "TN")] {
        let a = Tensor<Float>.normal(rows: tA ? k : m, columns: tA ? m : k, using: &rng)
        let b = Tensor<Float>.normal(rows: tB ? n : k, columns: tB ? k : n, using: &rng)
        var c = Tensor<Float>.zeros(rows: m, columns: n)
        let t = Timing.measure(repeats: 30, warmup: 5) { Tensor.gemm(a, b, into: &c, transposeA: tA, transposeB: tB) }
        let gflops = 2.0 * Double(m * n * k) / t.best * 1e-9
        if k == width { peak = max(peak, gflops) }
        gemmTable.add(["\(m)×\(k)·\(k)×\(n)", name, format(t.best * 1e3, 4), format(gflops, 1)])
      }
    }
    out += gemmTable.text + "\n\n"

    let net = MLP(inputDimension: inputDimension, hiddenWidths: Array(repeating: width, count: depth), activation: .tanh)
    let params: ParameterSet<Float> = net.initialParameters(seed: 2)
    let z = Tensor<Float>.normal(rows: batch, columns: inputDimension, using: &rng)
    let uBar = Tensor<Float>.normal(rows: batch, columns: 1, using: &rng)
    let gBar = Tensor<Float>.normal(rows: batch, columns: inputDimension, using: &rng)
    // FLOPs of the six GEMMs per layer (2 forward, 4 in the VJP).
    var flops = 0.0
    for l in 1...depth { flops += 6 * 2 * Double(batch * net.width(l - 1) * net.width(l)) }

    var table = MarkdownTable(header: ["pass", "best ms", "median ms", "GFLOP/s", "fraction of sgemm peak", "vs fused"])
    let fused = Timing.measure(repeats: 20, warmup: 3) {
      let (_, _, cache) = net.forward(z, parameters: params, inputGradient: true)
      _ = net.pullback(cache, parameters: params, valueCotangent: uBar, gradientCotangent: gBar, needsInputCotangent: true)
    }
    let fusedTape = Timing.measure(repeats: 20, warmup: 3) {
      let tape = Tape<Float>()
      let v = params.variables(on: tape)
      let zv = tape.variable(z)
      let (u, g) = net.valueAndInputGradient(zv, parameters: params, variables: v)
      let l = (u * tape.constant(uBar)).sum() + (g * tape.constant(gBar)).sum()
      _ = tape.gradients(of: l, withRespectTo: [zv] + v)
    }
    let composed = Timing.measure(repeats: 10, warmup: 2) {
      let tape = Tape<Float>()
      let v = params.variables(on: tape)
      let zv = tape.variable(z)
      let (u, g) = net.valueAndInputGradientComposed(zv, variables: v)
      let l = (u * tape.constant(uBar)).sum() + (g * tape.constant(gBar)).sum()
      _ = tape.gradients(of: l, withRespectTo: [zv] + v)
    }
    let forwardOnly = Timing.measure(repeats: 20, warmup: 3) {
      _ = net.forward(z, parameters: params, inputGradient: false, keepForPullback: false)
    }
    for (name, t) in [("fused op: u, ∇u + VJP", fused), ("fused op on the tape", fusedTape),
                      ("generic tape ops", composed), ("value only (inference)", forwardOnly)] {
      let gf = name.hasPrefix("value") ? Double.nan : flops / t.best * 1e-9
      table.add([name, format(t.best * 1e3), format(t.median * 1e3), gf.isNaN ? "–" : format(gf, 1),
                 gf.isNaN ? "–" : format(gf / peak, 2), format(t.best / fused.best, 2) + "×"])
    }
    out += table.text + "\n\nsgemm peak in this run (best of the width×width shapes): \(format(peak, 1)) GFLOP/s\n"
    return out
  }
}
