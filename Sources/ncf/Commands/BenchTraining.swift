import ArgumentParser
import Foundation
import NCFTensor
import NCFNetworks
import NCFFlows
import NCFFileSystem

/// Settings shared by the training benchmarks; every default is the library's.
struct BenchTrainingOptions: ParsableArguments {
  private static let defaults = NCFTrainingConfiguration()
  @Option(name: .customLong("dim"), help: "Dimension d of the Gaussian benchmark pair.") var dimension = 16
  @Option(help: "Energy-term batch (source and target rows per step).") var batch = defaults.energyBatch
  @Option(name: .customLong("collocation-batch"), help: "HJ-term batch (default: --batch).") var collocationBatch: Int?
  @Option(help: "Hidden width.") var width = defaults.width
  @Option(help: "Hidden layers.") var depth = defaults.depth
  @Option(help: "Activation: tanh, softplus[:β], silu.") var activation = defaults.activation.description
  @Option(help: "Potential head: moments, zero or none.") var head = HeadChoice.moments
  @Option(name: .customLong("learning-rate"), help: "Peak learning rate.") var learningRate = defaults.learningRate
  @Option(help: "Steps of the learning-rate schedule.") var iterations = defaults.iterations
  @Option(help: "Random seed.") var seed: UInt64 = 0
  @Option(help: "BLAS threads (default: the BLAS library's choice).") var threads: Int?
  @Flag(help: "Print the result as JSON only.") var json = false

  func validate() throws {
    guard dimension >= 1, batch >= 2, width >= 1, depth >= 1, iterations >= 1 else {
      throw ValidationError("--dim, --width, --depth and --iterations must be ≥ 1 and --batch ≥ 2")
    }
    if let c = collocationBatch, c < 1 { throw ValidationError("--collocation-batch must be ≥ 1") }
    if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1") }
    guard Activation(activation) != nil else { throw ValidationError("unknown activation \(activation)") }
  }

  /// The solver settings these options describe (and sets the BLAS threads).
  func configuration() -> NCFTrainingConfiguration {
    if let threads { BLASThreads.set(threads) }
    var c = NCFTrainingConfiguration()
    (c.width, c.depth, c.activation) = (width, depth, Activation(activation)!)
    (c.energyBatch, c.collocationBatch) = (batch, collocationBatch ?? batch)
    (c.quadraticHead, c.headInitialization) = (head != .plain, head == .zero ? .zero : .moments)
    (c.learningRate, c.iterations, c.seed) = (learningRate, iterations, seed)
    return c
  }

  var summary: String {
    "d \(dimension), batch \(batch)/\(collocationBatch ?? batch), \(width)×\(depth) \(activation), head \(head.rawValue)"
  }

  func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try JSONFormat.encoder(.pretty).encode(value), as: UTF8.self))
  }
}

extension Bench {
  struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Time per training step on the Gaussian benchmark pair (the solver's own step).",
      discussion: "Example: ncf bench step --dim 16 --batch 1024 --width 128 --depth 4 --activation tanh --head none")
    @OptionGroup var options: BenchTrainingOptions
    @Option(help: "Warm-up steps.") var warmup = 5
    @Option(help: "Steps per repeat.") var steps = 20
    @Option(help: "Repeats (the median is reported).") var repeats = 5

    func validate() throws {
      guard warmup >= 0, steps >= 1, repeats >= 1 else { throw ValidationError("--steps and --repeats must be ≥ 1") }
    }

    func run() throws {
      let r = try TrainingBenchmark.timeSteps(dimension: options.dimension, configuration: options.configuration(),
                                              warmup: warmup, steps: steps, repeats: repeats)
      if options.json { return try options.printJSON(r) }
      print("\(options.summary): \(NumberFormat.fixed(r.medianSecondsPerStep * 1e3, 2)) ms per step (median of \(repeats)×\(steps) steps, BLAS threads \(r.blasThreads))")
    }
  }

  struct Inference: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Throughput of the forward and backward maps (Double in, Double out).",
      discussion: "Example: ncf bench inference --dim 64 --width 256 --depth 4 --points 1000000")
    @OptionGroup var options: BenchTrainingOptions
    @Option(help: "Points mapped per repeat.") var points = 1_000_000
    @Option(help: "Rows per call.") var chunk = 50_000
    @Option(help: "Repeats (the median is reported).") var repeats = 3

    func validate() throws {
      guard points >= 1, chunk >= 1, repeats >= 1 else { throw ValidationError("--points, --chunk and --repeats must be ≥ 1") }
    }

    func run() throws {
      let r = try TrainingBenchmark.inference(dimension: options.dimension, configuration: options.configuration(),
                                              points: points, chunk: chunk, repeats: repeats)
      if options.json { return try options.printJSON(r) }
      print("\(options.summary): forward \(NumberFormat.fixed(r.forwardPointsPerSecond / 1e6, 3)) M points/s, backward \(NumberFormat.fixed(r.backwardPointsPerSecond / 1e6, 3)) M points/s")
    }
  }

  struct TimeToUVP: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "time-to-uvp",
      abstract: "Training time until the forward UVP falls below thresholds (scoring time excluded).",
      discussion: "Example: ncf bench time-to-uvp --dim 16 --thresholds 0.5,0.1 --max-seconds 120")
    @OptionGroup var options: BenchTrainingOptions
    @Option(help: "Comma-separated forward-UVP thresholds in %.") var thresholds = "0.5,0.1"
    @Option(name: .customLong("score-every"), help: "Score the map every this many steps.") var scoreEvery = 100
    @Option(name: .customLong("max-seconds"), help: "Stop after this much training time.") var maxSeconds = 120.0
    @Option(name: .customLong("test-points"), help: "Fixed test points.") var testPoints = 8192

    func run() throws {
      let th = thresholds.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
      guard !th.isEmpty, th.allSatisfy({ $0 > 0 }) else { throw ValidationError("--thresholds needs positive numbers") }
      guard scoreEvery >= 1, testPoints >= 1, maxSeconds > 0 else { throw ValidationError("--score-every, --test-points and --max-seconds must be positive") }
      let r = try TrainingBenchmark.timeToUVP(dimension: options.dimension, configuration: options.configuration(), thresholds: th,
                                              scoreEvery: scoreEvery, maxSeconds: maxSeconds, testPoints: testPoints)
      if options.json { return try options.printJSON(r) }
      for (t, s) in zip(r.thresholds, r.secondsToThreshold) {
        print("UVP ≤ \(t) %: " + (s.map { NumberFormat.fixed($0, 1) + " s" } ?? "not reached in \(NumberFormat.fixed(r.trainingSeconds, 0)) s"))
      }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Writes the benchmark problem (pair, normalisation, box, initial weights, settings, test points) as JSON for a reference implementation.",
      discussion: "Example: ncf bench export --dim 16 --width 128 --depth 4 --out /tmp/d16.json")
    @OptionGroup var options: BenchTrainingOptions
    @Option(name: .customLong("test-points"), help: "Fixed test points.") var testPoints = 8192
    @Option(help: "Output JSON file.") var out: String

    func run() throws {
      let p = try ReferenceProblem(dimension: options.dimension, configuration: options.configuration(), testPoints: testPoints)
      try Files.write([UInt8](JSONFormat.encoder(.compact).encode(p)), to: out)
      if !options.json { print("wrote \(out)") }
    }
  }
}
