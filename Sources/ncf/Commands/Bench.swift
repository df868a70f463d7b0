import ArgumentParser

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Benchmarks (timings are ratios against references measured in the same run).",
    subcommands: [Kernels.self, Gaussian.self])

  struct Kernels: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "GEMM throughput and the fused second-order MLP pass vs generic tape ops.",
      discussion: "Example: ncf bench kernels --batch 1024 --input 17 --width 128 --depth 4")

    @Option(help: "Batch size.") var batch = 1024
    @Option(help: "Input dimension d + 1.") var input = 17
    @Option(help: "Hidden width.") var width = 128
    @Option(help: "Number of hidden layers.") var depth = 4
    @Option(help: "BLAS threads.") var threads = 2

    func validate() throws {
      guard batch > 0, input > 0, width > 0, depth > 0, threads > 0 else {
        throw ValidationError("all sizes must be positive")
      }
    }

    func run() throws {
      print(KernelBenchmark.run(batch: batch, inputDimension: input, width: width, depth: depth, threads: threads))
    }
  }
}
