import ArgumentParser
import Foundation
import NCFTensor
import NCFFlows
import NCFFigures
import NCFApplications

extension NCFCommand {
  struct PlotModel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "plot",
      abstract: "Draw a 2-D model: the data, both maps, and the straight characteristics (SVG).",
      discussion: """
        Panels: source and target samples; T♯source over the target; S♯target
        over the source; the characteristics x → T(x) of --segments source
        points; and, with --log (the JSON-lines file of ncf train --log), the
        training loss curves on a log scale. Models of other dimensions are
        rejected (project the data first).

        Examples:
          ncf plot --model model.ncf --source x.npy --target y.npy --out fig.svg
          ncf plot --model model.ncf --source x.npy --target y.npy --out fig.svg \\
                   --segments 500 --log train.jsonl
        """)

    @OptionGroup var modelFile: ModelOption
    @OptionGroup var samples: SampleFiles
    @Option(help: ArgumentHelp("Where to write the figure (.svg).", valueName: "file")) var out: String
    @Option(help: ArgumentHelp("Characteristics drawn in the x → T(x) panel.", valueName: "n")) var segments = 300
    @Option(name: .customLong("max-points"), help: ArgumentHelp("Points per cloud in the scatter panels.", valueName: "n"))
    var maxPoints = 1500
    @Option(help: ArgumentHelp("A training log (ncf train --log) for the loss-curve panel.", valueName: "file"))
    var log: String?
    @Option(help: ArgumentHelp("A title above the panels.", valueName: "text")) var title: String?

    func validate() throws {
      if segments < 0 { throw ValidationError("--segments must be ≥ 0") }
      if maxPoints < 1 { throw ValidationError("--max-points must be ≥ 1") }
    }

    func run() throws {
      let (model, source, target) = (modelFile.model, samples.source, samples.target)
      try Files.checkSVGOutput(out)
      let ncf = try Files.model(model)
      if ncf.dimension != 2 {
        throw CLIError("\(model): the model is \(ncf.dimension)-D; ncf plot draws 2-D models only")
      }
      let (x, y) = try Files.pair(source: source, target: target, minimumRows: 1)
      try Files.requireDimension(x, path: source, model: ncf, modelPath: model)
      let history = try log.map(TrainingLog.read)
      let figure = try Files.refusingNonFinite(model: model, source: source, target: target) {
        try TransportFigure.make(model: ncf, source: x, target: y, history: history, segments: segments,
                                 maxPoints: maxPoints, title: title)
      }
      try figure.write(to: out)
      print("figure written to \(out) (\(figure.panels.count) panels, \(min(segments, x.rows)) characteristics)")
    }
  }
}
