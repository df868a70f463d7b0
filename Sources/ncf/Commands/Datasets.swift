import ArgumentParser
import Foundation
import NCFTensor
import NCFData
import NCFApplications

extension NCFCommand {
  struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the built-in datasets.",
      discussion: """
        The names work with ncf demo (--dataset, --target-dataset) and ncf sample.

        Example:
          ncf datasets
        """)

    func run() {
      print(BuiltInDataset.catalog)
    }
  }

  struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write samples of a built-in dataset to a file.",
      discussion: """
        The format follows the extension of --out (.npy, .csv, .tsv, .txt). The
        same name, count and seed always give the same points.

        Examples:
          ncf sample moons --count 2000 --out moons.npy
          ncf sample 8gaussians --count 2000 --seed 1 --out g8.csv --labels-out g8_labels.csv
          ncf sample gaussian-benchmark-8:source --count 4096 --out x8.npy
          ncf sample w2-16:target --count 20000 --out y16.npy
        """)

    @Argument(help: ArgumentHelp("Dataset name (see ncf datasets).", valueName: "name")) var name: String
    @Option(help: ArgumentHelp("Where to write the points.", valueName: "file")) var out: String
    @Option(help: ArgumentHelp("Number of points.", valueName: "n")) var count = 2000
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(name: .customLong("labels-out"), help: ArgumentHelp(
      "Also write each point's mixture component or arm (2-D generators only).", valueName: "file"))
    var labelsOut: String?
    @Option(help: "Precision of the written values.") var precision: PrecisionChoice = .float64

    func validate() throws {
      if count < 1 { throw ValidationError("--count must be at least 1") }
      if count > 100_000_000 { throw ValidationError("--count must be at most 100000000") }
    }

    func run() throws {
      let spec = try BuiltInDataset(named: name)
      let format = try Files.checkSampleOutput(out)
      let labelFormat = try labelsOut.map(Files.checkSampleOutput)
      if spec.isPairWithoutSide {
        throw CLIError("dataset '\(name)' is a pair: name a side, \(spec):source or \(spec):target")
      }
      if case .toy(let toy) = spec, let labelsOut {
        let (points, labels) = toy.labeledSample(n: count, seed: seed)
        try SampleFile.write(points, to: out, format: format, precision: precision.precision)
        try SampleFile.writeLabels(labels, to: labelsOut, format: labelFormat)
      } else {
        if labelsOut != nil { throw CLIError("--labels-out: \(spec) has no labels (only the 2-D generators have)") }
        let points = try spec.sample(n: count, seed: seed, defaultSide: .source)
        try SampleFile.write(points, to: out, format: format, precision: precision.precision)
      }
      print("wrote \(count) points of \(spec) (\(spec.dimension)-D) to \(out)" + (labelsOut.map { " and labels to \($0)" } ?? ""))
    }
  }
}
