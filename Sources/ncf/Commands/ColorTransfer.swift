import ArgumentParser
import Foundation
import NCFTensor
import NCFFlows
import NCFImages
import NCFApplications

extension NCFCommand {
  struct ColorTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "color-transfer",
      abstract: "Colour transfer between two photographs with one NCF model.",
      discussion: """
        Learns the optimal transport map (cost ½‖x − y‖²) between the RGB colours of
        --content and those of --style, treating each image's pixels, in [0, 1]³, as a
        point cloud; every training step draws fresh random pixels from both images.
        The forward map T recolours every pixel of the content image with the
        style's palette (--out); the backward map S of the same model recolours the
        style image with the content's palette (--reverse-out). Images are mapped in
        row blocks (bounded memory for any photo size), clamped to [0, 1] and
        written atomically as PNG or JPEG, by extension.

        Report (stdout, and --report FILE as JSON): EMD ↓ and histogram
        intersection HI ↑ between the recoloured image's colour histogram and the
        reference image's, for
          identity   the unmapped image (how different the palettes are),
          NCF        the written result,
          exact OT   network simplex on --baseline-samples pixels of each image,
                     each pixel mapped by the barycentric projection of its
                     nearest sampled pixel's plan row,
          Sinkhorn   the entropic map of a Sinkhorn solution on the same samples.
        Main columns (EMD, HI): by default one joint RGB histogram with 16 bins per
        channel; HI = Σ min(p, q); EMD = exact W1 between the histograms with
        Euclidean distances between bin centres in the unit RGB cube (--histogram,
        --bins). Secondary columns (EMD₂, HI₂): per-channel R, G, B histograms with
        256 bins, 1-D W1 and HI averaged over the channels — the variant on the scale
        of the NCF paper's table. The recoloured image is scored on all its pixels,
        or on --eval-pixels random ones for larger images; the reference on all.
        See docs/color-transfer.md for the definitions and measured numbers.

        Ctrl-C stops training early and continues with the model so far (exit
        status 130 at the end); a second Ctrl-C aborts at once.

        Examples:
          ncf color-transfer --content data/images/coffee.png --style data/images/chelsea.png --out coffee-chelsea.png
          ncf color-transfer --content a.jpg --style b.jpg --out a-as-b.jpg --reverse-out b-as-a.jpg --report r.json
          ncf color-transfer --content a.png --style b.png --out c.png --iterations 500 --no-baselines
        """)

    @Option(help: ArgumentHelp("The photograph to recolour (PNG or JPEG).", valueName: "file")) var content: String
    @Option(help: ArgumentHelp("The photograph whose colours to use (PNG or JPEG).", valueName: "file")) var style: String
    @Option(help: ArgumentHelp("Where to write the recoloured content image (.png, .jpg or .jpeg).", valueName: "file"))
    var out: String
    @Option(name: .customLong("reverse-out"), help: ArgumentHelp(
      "Also recolour the style image with the content's colours (backward map of the same model) and write it here.",
      valueName: "file"))
    var reverseOut: String?
    @Option(help: ArgumentHelp("Write the report as JSON to this file.", valueName: "file")) var report: String?
    @Option(help: ArgumentHelp(
      "Also write a side-by-side figure: content | style | result (| reverse result), at most 256 px high (.png or .jpg).",
      valueName: "file"))
    var figure: String?
    @Option(help: ArgumentHelp(
      "Use this model (saved by an earlier run's --save-model, content → style) instead of training.",
      valueName: "file"))
    var model: String?
    @Option(name: .customLong("save-model"), help: ArgumentHelp("Save the trained model to this file.", valueName: "file"))
    var saveModel: String?
    @Option(name: .customLong("max-side"), help: ArgumentHelp(
      "Shrink both images (box filter) so that their longer side is at most n pixels before anything else: a quick preview at low resolution.",
      valueName: "n"))
    var maxSide: Int?
    @Option(name: .customLong("jpeg-quality"), help: ArgumentHelp("Quality of JPEG outputs, 1…100.", valueName: "q"))
    var jpegQuality = 95

    @OptionGroup(title: "Training") var training: ColorTrainingOptions
    @OptionGroup(title: "Report and baselines") var evaluation: ColorEvaluationOptions

    @Flag(name: [.short, .long], help: "Print no progress (errors and the report still appear).")
    var quiet = false

    func validate() throws {
      if let maxSide, maxSide < 1 { throw ValidationError("--max-side must be at least 1") }
      if !(1...100).contains(jpegQuality) { throw ValidationError("--jpeg-quality must lie in 1…100") }
      if model != nil && saveModel != nil { throw ValidationError("--model and --save-model cannot be combined") }
      for path in [out, reverseOut, figure].compactMap({ $0 }) where ImageFormat(pathExtensionOf: path) == nil {
        throw ValidationError("\(path): images are written as PNG or JPEG; use a .png, .jpg or .jpeg file name")
      }
      let outputs = [out, reverseOut, figure, report, saveModel].compactMap { $0 }
      if Set(outputs).count != outputs.count { throw ValidationError("every output (--out, --reverse-out, --figure, --report, --save-model) needs its own file") }
    }

    func run() throws {
      try ColorTransferRun(command: self).run()
    }
  }
}
