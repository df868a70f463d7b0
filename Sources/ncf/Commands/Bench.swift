import NCFTensor
import ArgumentParser
import Foundation
import NCFFlows

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Benchmarks (timings are ratios against references measured in the same run).",
    subcommands: [Kernels.self, Gaussian.self, W2.self, FashionMNIST.self, Step.self, Inference.self, TimeToUVP.self, Export.self])

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
      let r = KernelBenchmark.run(batch: batch, inputDimension: input, width: width, depth: depth, threads: threads)
      print("Kernel benchmark: batch \(batch), input \(input), width \(width), depth \(depth), Float, BLAS threads \(r.threads)\n")
      var gemm = MarkdownTable(header: ["GEMM (M×K·K×N)", "op", "best ms", "GFLOP/s"])
      for g in r.gemm {
        gemm.add(["\(g.m)×\(g.k)·\(g.k)×\(g.n)", g.operation, NumberFormat.fixed(g.timing.best * 1e3, 4), NumberFormat.fixed(g.gigaflops, 1)])
      }
      print(gemm.text + "\n")
      var passes = MarkdownTable(header: ["pass", "best ms", "median ms", "GFLOP/s", "fraction of sgemm peak", "vs fused"])
      let fused = r.passes[0].timing.best
      for p in r.passes {
        passes.add([p.name, NumberFormat.fixed(p.timing.best * 1e3), NumberFormat.fixed(p.timing.median * 1e3), p.gigaflops.map { NumberFormat.fixed($0, 1) } ?? "–",
                    p.gigaflops.map { NumberFormat.fixed($0 / r.peakGigaflops, 2) } ?? "–", NumberFormat.fixed(p.timing.best / fused, 2) + "×"])
      }
      print(passes.text + "\n\nsgemm peak in this run (best of the width×width shapes): \(NumberFormat.fixed(r.peakGigaflops, 1)) GFLOP/s")
    }
  }
}

/// A Markdown table printer.
struct MarkdownTable {
  var header: [String]
  var rows: [[String]] = []
  mutating func add(_ row: [String]) { rows.append(row) }
  var text: String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
      "| " + r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
    }
    return ([line(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
      + rows.map(line)).joined(separator: "\n")
  }
}

