import ArgumentParser
import Foundation
import NCFTensor
import NCFFlows
import NCFData

/// The direction of a map, as a command-line choice.
enum Direction: String, ExpressibleByArgument, CaseIterable {
  case forward, backward
}

/// Output precision, as a command-line choice.
enum PrecisionChoice: String, ExpressibleByArgument, CaseIterable {
  case float32, float64

  var precision: SampleFile.Precision { self == .float32 ? .float32 : .float64 }
}

extension NCFCommand {
  struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Push points through a trained model.",
      discussion: """
        forward:  T(x) = x + ∇h(∇u(x, 0))   (source space → target space)
        backward: S(y) = y − ∇h(∇u(y, 1))   (target space → source space)
        --time t gives the displacement interpolation x + t∇h(∇u(x, 0)) (forward
        only; t = 0 is the identity and t = 1 the full map T).

        The output format follows the extension of --out (.npy, .csv, .tsv, .txt);
        one output row per input row, in the same order.

        Examples:
          ncf map --model model.ncf --input x.npy --out tx.npy
          ncf map --model model.ncf --input y.csv --direction backward --out sy.csv
          ncf map --model model.ncf --input x.npy --time 0.5 --out halfway.npy --precision float32
        """)

    @OptionGroup var modelFile: ModelOption
    @Option(help: ArgumentHelp("Points to map (n×d).", valueName: "file")) var input: String
    @Option(help: ArgumentHelp("Where to write the mapped points.", valueName: "file")) var out: String
    @Option(help: "Which map to apply.") var direction: Direction = .forward
    @Option(help: ArgumentHelp("Stop the forward characteristics at time t ∈ [0, 1].", valueName: "t")) var time: Double?
    @Option(help: "Precision of the written values.") var precision: PrecisionChoice = .float64

    func validate() throws {
      if let time {
        guard direction == .forward else { throw ValidationError("--time applies to the forward map only (drop --direction backward)") }
        guard time.isFinite, time >= 0 else { throw ValidationError("--time must be a number ≥ 0") }
      }
    }

    func run() throws {
      let format = try Files.checkSampleOutput(out)
      let model = modelFile.model
      let ncf = try Files.model(model)
      if let time, time > ncf.terminalTime {
        throw ValidationError("--time must lie in [0, \(NumberFormat.shortest(ncf.terminalTime))] (the model's terminal time)")
      }
      let points = try Files.samples(input)
      try Files.requireDimension(points, path: input, model: ncf, modelPath: model)
      let mapped = try Files.refusingNonFinite(model: model, source: input, target: input) {
        switch direction {
        case .forward:
          if let time { return try ncf.checkedInterpolate(points, time: time) }
          return try ncf.checkedForward(points)
        case .backward:
          return try ncf.checkedBackward(points)
        }
      }
      try SampleFile.write(mapped, to: out, format: format, precision: precision.precision)
      let what = time.map { "forward to t = \(NumberFormat.shortest($0))" } ?? direction.rawValue
      print("mapped \(points.rows) points (\(what)) → \(out)")
    }
  }
}
