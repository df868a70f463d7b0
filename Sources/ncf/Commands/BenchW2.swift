import ArgumentParser
import Foundation
import NCFTensor
import NCFFlows
import NCFBenchmarks
import NCFFileSystem

extension Bench {
  struct W2: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "w2",
      abstract: "The Wasserstein-2 benchmark (Mix3toMix10): UVP of the learned maps against the known map.",
      discussion: """
        For each dimension: trains on fresh samples every step (or, with --train-points N, on N points per \
        side drawn once, as a user's files would hold), then scores the forward map T̂ and the backward map \
        Ŝ on fresh test points against the benchmark's map T = ∇ψ*: UVP = 100·E|T̂(x) − T(x)|²/Var(ν) and \
        100·E|Ŝ(y) − x|²/Var(μ), and the displacement cosines. Beside them: the linear map between the \
        moments of μ and ν, the moments-only map of the training points (with --train-points), and the \
        published forward UVP (best 2021 solver, Amos 2023, ENOT 2024). Training settings are those of ncf \
        train (library defaults, --config, flags); the cost is quadratic. The held-out validation runs only \
        at the end unless --validation-interval is given.

        Progress goes to stderr, the tables to stdout; --out PREFIX also writes PREFIX.md and PREFIX.json. \
        The data are read from data/benchmarks/w2-mix3to10 (or $NCF_DATA_DIR/benchmarks/w2-mix3to10).

        Examples:
          ncf bench w2 --dims 2,8,16 --iterations 1000 --out results/w2
          ncf bench w2 --linear-only
          ncf bench w2 --dims 2 --train-points 20000 --iterations 3000
        """)

    @Option(help: ArgumentHelp("Comma-separated dimensions, from 2, 4, 8, 16, 32, 64, 128.", valueName: "list"))
    var dims = "2,4,8,16,32,64,128"
    @OptionGroup(title: "Training settings") var training: TrainingOptions
    @Option(name: .customLong("test-points"), help: ArgumentHelp("Fresh test points per side.", valueName: "n"))
    var testPoints = 16384
    @Option(name: .customLong("train-points"), help: ArgumentHelp(
      "Train on n points per side drawn once (finite data) instead of fresh samples every step; adds the moments-only map of those points as a row.",
      valueName: "n"))
    var trainPoints: Int?
    @Flag(name: .customLong("linear-only"), help: "Skip training: only the linear (and, with --train-points, moments-only) rows.")
    var linearOnly = false
    @Option(help: ArgumentHelp("Output prefix for the .md and .json tables.", valueName: "prefix")) var out: String?

    func validate() throws {
      _ = try dimensions()
      if testPoints < 2 { throw ValidationError("--test-points must be at least 2") }
      if let trainPoints, trainPoints < 2 { throw ValidationError("--train-points must be at least 2") }
      if training.cost.cost != .quadratic {
        throw ValidationError("--cost: the W2 benchmark's map is the quadratic-cost map; use --cost quadratic (the default)")
      }
    }

    func dimensions() throws -> [Int] {
      let parts = dims.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let values = parts.compactMap(Int.init)
      guard !values.isEmpty, values.count == parts.count, values.allSatisfy(W2BenchmarkFiles.dimensions.contains) else {
        throw ValidationError("--dims: the W2 benchmark has d = \(W2BenchmarkFiles.dimensions.map(String.init).joined(separator: ", ")); got '\(dims)'")
      }
      return values
    }

    func run() throws {
      let dimensions = try dimensions()
      if let out { for ext in [".md", ".json"] { try Files.checkWritable(out + ext) } }
      if let threads = training.threads { BLASThreads.set(threads) }
      let settings = W2BenchmarkRunner.configuration(try training.configuration(), keepValidation: training.validationInterval != nil)
      let data: BenchmarkTrainingData = trainPoints.map { .fixed(pointsPerSide: $0) } ?? .fresh
      var rows: [W2BenchmarkRunner.Row] = []
      for d in dimensions {
        BenchProgress.note("w2 d=\(d): loading the pair and \(testPoints) test points" + (linearOnly ? "" : ", then \(settings.iterations) steps"))
        let row = try Files.refusingNonFinite(model: "the model trained for d = \(d)", source: "the test source samples",
                                              target: "the test target samples") {
          try W2BenchmarkRunner.run(dimension: d, configuration: settings, data: data, train: !linearOnly, testPoints: testPoints) {
            BenchProgress.step($0, label: "w2 d=\(d)")
            return true
          }
        }
        rows.append(row)
        var line = "d=\(d): linear map \(NumberFormat.fixed(row.linear.forwardUVP, 2))% / \(NumberFormat.fixed(row.linear.backwardUVP, 2))%"
        if let m = row.momentsOnly { line += ", moments-only \(NumberFormat.fixed(m.forwardUVP, 2))% / \(NumberFormat.fixed(m.backwardUVP, 2))%" }
        if let s = row.model {
          line += ", NCF \(NumberFormat.fixed(s.forwardUVP, 3))% / \(NumberFormat.fixed(s.backwardUVP, 3))% (forward / backward UVP) in \(NumberFormat.fixed(row.trainingSeconds ?? 0, 0)) s"
        }
        print(line)
      }
      let tables = Self.tables(rows, steps: settings.iterations, trainPoints: trainPoints)
      print("\n" + tables)
      if let out {
        let report = Report(settings: settings, trainPoints: trainPoints, testPoints: testPoints, trained: !linearOnly, rows: rows,
                            published: ["best 2021": W2BenchmarkRunner.published2021, "Amos 2023": W2BenchmarkRunner.publishedAmos2023,
                                        "ENOT 2024": W2BenchmarkRunner.publishedENOT2024].mapValues { $0.mapKeys(String.init) })
        try Files.write([UInt8](JSONFormat.encoder(.pretty).encode(report)), to: out + ".json")
        let c = settings
        let header = "Settings: " + (linearOnly ? "no training. " : "width \(c.width)×\(c.depth) \(c.activation)\(c.residual ? " residual" : ""), head \(c.quadraticHead ? "on" : "off"), λ \(NumberFormat.shortest(c.lambda)), backward λ \(NumberFormat.shortest(c.backwardLambda)), lr \(NumberFormat.shortest(c.learningRate)), energy batch \(c.energyBatch), collocation batch \(c.collocationBatch), \(c.iterations) steps, seed \(c.seed). ")
          + (trainPoints.map { "Training data: \($0) points per side drawn once. " } ?? (linearOnly ? "" : "Training data: fresh samples every step. "))
          + "\(testPoints) test points per side.\n\n"
        try Files.writeText(header + tables + "\n", to: out + ".md")
        print("wrote \(out).md and \(out).json")
      }
    }

    /// What --out PREFIX.json holds.
    struct Report: Encodable {
      var settings: NCFTrainingConfiguration
      var trainPoints: Int?
      var testPoints: Int
      var trained: Bool
      var rows: [W2BenchmarkRunner.Row]
      var published: [String: [String: Double]]
    }

    /// Forward and backward UVP by method × dimension (published rows beside
    /// ours, as in the papers), then the per-dimension details.
    static func tables(_ rows: [W2BenchmarkRunner.Row], steps: Int, trainPoints: Int?) -> String {
      let dims = rows.map(\.dimension)
      func method(_ name: String, _ value: (W2BenchmarkRunner.Row) -> Double?, digits: Int) -> [String] {
        [name] + rows.map { value($0).map { NumberFormat.fixed($0, digits) } ?? "–" }
      }
      func published(_ name: String, _ table: [Int: Double]) -> [String] {
        [name] + dims.map { table[$0].map { "\($0)" } ?? "–" }
      }
      let trained = rows.contains { $0.model != nil }
      let ncfName = "NCF (this run, \(steps) steps" + (trainPoints.map { ", \($0) points per side" } ?? ", fresh samples") + ")"
      let momentsName = trainPoints.map { "moments-only map of the \($0) training points" }
      var forward = MarkdownTable(header: ["forward UVP (%)"] + dims.map { "d = \($0)" })
      if trained { forward.add(method(ncfName, { $0.model?.forwardUVP }, digits: 3)) }
      forward.add(method("linear map (moments of μ, ν)", { $0.linear.forwardUVP }, digits: 2))
      if let momentsName { forward.add(method(momentsName, { $0.momentsOnly?.forwardUVP }, digits: 2)) }
      forward.add(published("best 2021 solver (Korotin et al.)", W2BenchmarkRunner.published2021))
      forward.add(published("Amos 2023", W2BenchmarkRunner.publishedAmos2023))
      forward.add(published("ENOT 2024", W2BenchmarkRunner.publishedENOT2024))
      var backward = MarkdownTable(header: ["backward UVP (%)"] + dims.map { "d = \($0)" })
      if trained { backward.add(method(ncfName, { $0.model?.backwardUVP }, digits: 3)) }
      backward.add(method("linear map (moments of μ, ν)", { $0.linear.backwardUVP }, digits: 2))
      if let momentsName { backward.add(method(momentsName, { $0.momentsOnly?.backwardUVP }, digits: 2)) }
      var text = forward.text + "\n\n" + backward.text
      if trained {
        var details = MarkdownTable(header: ["d", "cos fwd", "cos bwd", "params", "width×depth", "steps", "train s", "HJ loss", "energy"])
        for r in rows {
          details.add(["\(r.dimension)", r.model.map { NumberFormat.fixed($0.forwardCosine, 4) } ?? "–",
                       r.model.map { NumberFormat.fixed($0.backwardCosine, 4) } ?? "–", r.parameterCount.map(String.init) ?? "–",
                       "\(r.width)×\(r.depth)", "\(r.iterations)", r.trainingSeconds.map { NumberFormat.fixed($0, 0) } ?? "–",
                       r.finalHJLoss.map { String(format: "%.2e", $0) } ?? "–", r.finalEnergyDistance.map { String(format: "%.2e", $0) } ?? "–"])
        }
        text += "\n\n" + details.text
      }
      return text
    }
  }
}

/// Progress lines of the benchmarks, on stderr.
enum BenchProgress {
  static func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

  static func step(_ p: TrainingProgress, label: String) {
    note("\(label) step \(p.step)/\(p.iterations) hj \(String(format: "%.3e", p.hjLoss)) ed \(String(format: "%.3e", p.energyDistance)) lr \(String(format: "%.2e", p.learningRate)) \(String(format: "%.0f", p.elapsed))s")
  }
}

extension Dictionary {
  /// The same values under transformed keys (keys must stay distinct).
  func mapKeys<K: Hashable>(_ f: (Key) -> K) -> [K: Value] { Dictionary<K, Value>(uniqueKeysWithValues: map { (f($0.key), $0.value) }) }
}
