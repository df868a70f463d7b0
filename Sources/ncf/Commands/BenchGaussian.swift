import ArgumentParser
import Foundation
import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport
import NCFFlows
import NCFFileSystem

/// The potential head, as a command-line choice.
enum HeadChoice: String, ExpressibleByArgument, CaseIterable {
  /// The Gaussian head started from the samples' moments.
  case moments
  /// The Gaussian head started at zero.
  case zero
  /// No head: the plain MLP.
  case plain = "none"
}

extension EnergyDistance.Estimator: ExpressibleByArgument {}

extension Bench {
  struct Gaussian: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The paper's Gaussian benchmark: UVP of the learned maps against the closed form.",
      discussion: "Example: ncf bench gaussian --dims 2,4,8 --iterations 10000 --out results/gaussian")

    @Option(help: "Comma-separated dimensions.") var dims = "2,4,8,16,32,64"
    @Option(help: "Training steps: one number for every dimension, or a comma-separated list matching --dims.")
    var iterations = "10000"
    // Every training default is the library's (NCFTrainingConfiguration), so
    // the benchmark measures exactly what `ncf train` and NCFTrainer do.
    private static let defaults = NCFTrainingConfiguration()
    @Option(help: "Hidden width (doubled for d ≥ 32 with --adaptive).") var width = defaults.width
    @Option(help: "Hidden layers.") var depth = defaults.depth
    @Option(help: "Activation: tanh, softplus[:β], silu.") var activation = defaults.activation.description
    @Flag(help: "Skip connections.") var residual = false
    @Flag(help: "Scale the network with the dimension (NCF-Adaptive).") var adaptive = false
    @Option(help: "Weight λ of the energy term.") var lambda = defaults.lambda
    @Option(name: .customLong("learning-rate"), help: "Peak learning rate.") var learningRate = defaults.learningRate
    @Option(name: .customLong("batch-size"), help: "Energy-term batch (source and target).") var batchSize = defaults.energyBatch
    @Option(name: .customLong("collocation-batch"), help: "HJ-term batch.") var collocationBatch = defaults.collocationBatch
    @Option(help: "Energy estimator: unbiased or biased.") var estimator = defaults.energyEstimator
    @Option(help: "HJ loss: implicit or pinn.") var loss = defaults.hjLoss
    @Option(help: "Distribution term: energy or enot.") var signal = defaults.signal
    @Option(help: "Checkpoint rule on finite data: held-out or last.") var keep = defaults.checkpointRule
    @Option(help: "Test points per side.") var testPoints = 16384
    @Option(name: .customLong("train-points"), help: ArgumentHelp(
      "Train on n points per side drawn once (finite data) instead of fresh samples every step; adds the moments-only map of those points as columns.",
      valueName: "n"))
    var trainPoints: Int?
    @Option(help: "Potential head: moments (Gaussian head started from the samples' moments), zero (head started at zero) or none (plain MLP).")
    var head = HeadChoice.moments
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Output prefix for the .md and .json tables.") var out: String?

    func run() throws {
      let dimensions = dims.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !dimensions.isEmpty, dimensions.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--dims needs positive integers") }
      guard let act = Activation(activation) else { throw ValidationError("unknown activation \(activation)") }
      let steps = iterations.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard steps.count == 1 || steps.count == dimensions.count, steps.allSatisfy({ $0 >= 0 }) else {
        throw ValidationError("--iterations needs one count or one per dimension")
      }
      if let trainPoints, trainPoints < 2 { throw ValidationError("--train-points must be at least 2") }
      let data: BenchmarkTrainingData = trainPoints.map { .fixed(pointsPerSide: $0) } ?? .fresh
      var base = NCFTrainingConfiguration()
      (base.width, base.depth, base.activation, base.residual) = (width, depth, act, residual)
      (base.lambda, base.learningRate, base.energyBatch, base.collocationBatch) = (lambda, learningRate, batchSize, collocationBatch)
      (base.seed, base.energyEstimator, base.hjLoss, base.signal, base.checkpointRule) = (seed, estimator, loss, signal, keep)
      (base.quadraticHead, base.headInitialization) = (head != .plain, head == .zero ? .zero : .moments)
      var rows: [GaussianBenchmarkRunner.Row] = []
      for (index, d) in dimensions.enumerated() {
        let c = GaussianBenchmarkRunner.configuration(base, dimension: d, iterations: steps.count == 1 ? steps[0] : steps[index],
                                                      adaptive: adaptive)
        let row = try Files.refusingNonFinite(model: "the model trained for d = \(d)", source: "the test source samples",
                                              target: "the test target samples") {
          try GaussianBenchmarkRunner.run(dimension: d, configuration: c, data: data, testPoints: testPoints) { p in
            BenchProgress.step(p, label: "d=\(d)")
            return true
          }
        }
        rows.append(row)
        print("d=\(d): forward UVP \(NumberFormat.fixed(row.forwardUVP, 4))%  backward UVP \(NumberFormat.fixed(row.backwardUVP, 4))%  cos \(NumberFormat.fixed(row.forwardCosine, 5))  \(NumberFormat.fixed(row.trainingSeconds, 0)) s"
              + (row.momentsOnly.map { "  (moments-only map of the training points: \(NumberFormat.fixed($0.forwardUVP, 4))% / \(NumberFormat.fixed($0.backwardUVP, 4))%)" } ?? ""))
      }
      var table = MarkdownTable(header: ["d", "fwd UVP %", "bwd UVP %", "cos fwd", "cos bwd", "params", "width×depth", "train s",
                                         "HJ loss", "energy", "paper NCF", "paper NCF-Adaptive", "paper MM-v1"]
                                + (trainPoints == nil ? [] : ["moments-only fwd UVP %", "moments-only bwd UVP %"]))
      for r in rows {
        table.add(["\(r.dimension)", NumberFormat.fixed(r.forwardUVP, 4), NumberFormat.fixed(r.backwardUVP, 4), NumberFormat.fixed(r.forwardCosine, 5),
                   NumberFormat.fixed(r.backwardCosine, 5), "\(r.parameterCount)", "\(r.width)×\(r.depth)", NumberFormat.fixed(r.trainingSeconds, 0),
                   String(format: "%.2e", r.finalHJLoss), String(format: "%.2e", r.finalEnergyDistance),
                   GaussianBenchmarkRunner.paperNCF[r.dimension].map { NumberFormat.fixed($0, 3) } ?? "–",
                   GaussianBenchmarkRunner.paperNCFAdaptive[r.dimension].map { NumberFormat.fixed($0, 3) } ?? "–",
                   GaussianBenchmarkRunner.paperMMv1[r.dimension].map { NumberFormat.fixed($0, 2) } ?? "–"]
                  + (r.momentsOnly.map { [NumberFormat.fixed($0.forwardUVP, 4), NumberFormat.fixed($0.backwardUVP, 4)] } ?? []))
      }
      print(table.text)
      if let out {
        try Files.write([UInt8](JSONFormat.encoder(.pretty).encode(rows)), to: out + ".json")
        let settings = "Settings: head \(head.rawValue), width \(width)×\(depth) \(activation)\(adaptive ? " (adaptive)" : ""), λ \(lambda), lr \(learningRate), energy batch \(batchSize), collocation batch \(collocationBatch), \(estimator.rawValue) energy estimator, \(loss.rawValue) HJ loss, \(signal.rawValue) signal, seed \(seed), iterations \(iterations), \(testPoints) test points per side, training data: \(trainPoints.map { "\($0) points per side drawn once" } ?? "fresh samples every step").\n\n"
        try Files.writeText(settings + table.text + "\n", to: out + ".md")
        print("wrote \(out).md and \(out).json")
      }
    }
  }
}
