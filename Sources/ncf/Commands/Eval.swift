import ArgumentParser
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows
import NCFFileSystem

extension NCFCommand {
  struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure how well a model transports source samples onto target samples.",
      discussion: """
        Reports the squared energy distance (data units; 0 means the two samples
        come from the same distribution) between the source and target with no
        map, between T♯source and target, and between S♯target and source; the
        mean squared HJ residual along the forward characteristics of the source
        points (model units; 0 for an exact solution); and the mean transport
        cost E c(x, T(x)). Use samples the model was not trained on.

        --gaussian-benchmark D: the samples come from the built-in Gaussian pair
        of dimension D (see ncf datasets), whose optimal map is known in closed
        form; also reports the unexplained variance (UVP, %) and the displacement
        cosine of both maps against it.

        Examples:
          ncf eval --model model.ncf --source x_test.npy --target y_test.npy
          ncf eval --model model.ncf --source x.npy --target y.npy --json
          ncf eval --model g8.ncf --source x8.npy --target y8.npy \\
                   --gaussian-benchmark 8
        """)

    @OptionGroup var modelFile: ModelOption
    @OptionGroup var samples: SampleFiles
    @Option(name: .customLong("gaussian-benchmark"), help: ArgumentHelp(
      "The samples are the built-in Gaussian pair of this dimension: also score against its closed-form map.",
      valueName: "D"))
    var gaussianBenchmark: Int?
    @Option(name: .customLong("max-points"), help: ArgumentHelp(
      "Points per side for the energy distances and the HJ residual (a random subset when there are more; cost grows like n²).",
      valueName: "n"))
    var maxPoints = 4096
    @Option(help: "Seed of that random subset.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
      if let gaussianBenchmark, gaussianBenchmark < 1 { throw ValidationError("--gaussian-benchmark needs a dimension ≥ 1") }
      if maxPoints < 2 { throw ValidationError("--max-points must be at least 2") }
    }

    struct Report: Codable {
      var model: String
      var dimension: Int
      var cost: String
      var costDefinition: String
      var trainedSteps: Int?
      var configuration: NCFTrainingConfiguration?
      var evaluation: NCFEvaluation
    }

    func run() throws {
      let (model, source, target) = (modelFile.model, samples.source, samples.target)
      let ncf = try Files.model(model)
      let (x, y) = try Files.pair(source: source, target: target)
      try Files.requireDimension(x, path: source, model: ncf, modelPath: model)
      var pair: GaussianOT? = nil
      if let d = gaussianBenchmark {
        if d != ncf.dimension {
          throw CLIError("\(model): --gaussian-benchmark \(d) needs a \(d)-D model, but this model is \(ncf.dimension)-D")
        }
        pair = try GaussianBenchmark.pair(dimension: d)
      }
      let evaluation = try Files.refusingNonFinite(model: model, source: source, target: target) {
        try NCFEvaluation(model: ncf, source: x, target: y, maxPoints: maxPoints, seed: seed, gaussianPair: pair)
      }
      if json {
        print(try JSONFormat.prettyString(Report(
          model: model, dimension: ncf.dimension, cost: ncf.cost?.name ?? "custom",
          costDefinition: ncf.cost?.definition ?? "custom Hamiltonian", trainedSteps: ncf.certificate?.step,
          configuration: ncf.configuration, evaluation: evaluation)))
        return
      }
      let steps = ncf.certificate.map { ", trained \($0.step) steps" } ?? ""
      let cost = ncf.cost.map { "\($0.name) cost \($0.formula)" } ?? "custom cost"
      print("model   \(model) (\(ncf.dimension)-D, \(cost)\(steps))")
      print("points  source \(x.rows) (\(source)), target \(y.rows) (\(target))")
      Summary.lines(evaluation).forEach { print($0) }
    }
  }
}
