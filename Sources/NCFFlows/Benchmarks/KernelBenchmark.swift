import NCFTensor
import NCFAutodiff
import NCFNetworks

/// The kernel benchmark (`ncf bench kernels`): GEMM throughput at the
/// network's shapes and the cost of one fused value + input-gradient + VJP
/// pass, against the same pass written with generic tape ops, all measured
/// in this process.
public enum KernelBenchmark {
  /// One timed GEMM shape.
  public struct GEMMRow: Sendable {
    public var m, k, n: Int
    /// "NN", "NT" or "TN".
    public var operation: String
    public var timing: Timing
    public var gigaflops: Double
  }

  /// One timed network pass.
  public struct PassRow: Sendable {
    public var name: String
    public var timing: Timing
    /// nil for passes whose FLOPs are not the six GEMMs per layer.
    public var gigaflops: Double?
  }

  public struct Result: Sendable {
    public var gemm: [GEMMRow]
    /// The fused pass first (the reference of the ratios).
    public var passes: [PassRow]
    /// The best GEMM throughput at the width×width shapes (GFLOP/s).
    public var peakGigaflops: Double
    public var threads: Int
  }

  /// Runs the benchmark with `threads` BLAS threads (left set afterwards).
  public static func run(batch: Int, inputDimension: Int, width: Int, depth: Int, threads: Int) -> Result {
    BLASThreads.set(threads)
    var rng = SeededRandom(seed: 1)
    var gemm: [GEMMRow] = []
    var peak = 0.0
    for (m, k, n) in [(batch, inputDimension, width), (batch, width, width)] {
      for (tA, tB, name) in [(false, false, "NN"), (false, true, "NT"), (true, false, "TN")] {
        let a = Tensor<Float>.normal(rows: tA ? k : m, columns: tA ? m : k, using: &rng)
        let b = Tensor<Float>.normal(rows: tB ? n : k, columns: tB ? k : n, using: &rng)
        var c = Tensor<Float>.zeros(rows: m, columns: n)
        let t = Timing.measure(repeats: 30, warmup: 5) { Tensor.gemm(a, b, into: &c, transposeA: tA, transposeB: tB) }
        let gflops = 2.0 * Double(m * n * k) / t.best * 1e-9
        if k == width { peak = max(peak, gflops) }
        gemm.append(GEMMRow(m: m, k: k, n: n, operation: name, timing: t, gigaflops: gflops))
      }
    }

    let net = MLP(inputDimension: inputDimension, hiddenWidths: Array(repeating: width, count: depth), activation: .tanh)
    let params: ParameterSet<Float> = net.initialParameters(seed: 2)
    let z = Tensor<Float>.normal(rows: batch, columns: inputDimension, using: &rng)
    let uBar = Tensor<Float>.normal(rows: batch, columns: 1, using: &rng)
    let gBar = Tensor<Float>.normal(rows: batch, columns: inputDimension, using: &rng)
    // FLOPs of the six GEMMs per layer (2 forward, 4 in the VJP).
    var flops = 0.0
    for l in 1...depth { flops += 6 * 2 * Double(batch * net.width(l - 1) * net.width(l)) }

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
    let passes = [("fused op: u, ∇u + VJP", fused), ("fused op on the tape", fusedTape),
                  ("generic tape ops", composed), ("value only (inference)", forwardOnly)].map { name, t in
      PassRow(name: name, timing: t, gigaflops: name.hasPrefix("value") ? nil : flops / t.best * 1e-9)
    }
    return Result(gemm: gemm, passes: passes, peakGigaflops: peak, threads: BLASThreads.current)
  }
}
