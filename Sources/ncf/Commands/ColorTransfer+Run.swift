import ArgumentParser
import Foundation
import NCFTensor
import NCFTransport
import NCFFlows
import NCFImages
import NCFApplications

/// The work of `ncf color-transfer`, in order: check every output path,
/// read both images, train (or load) the model, recolour and write the
/// images, solve the baselines, score, print and write the report.
struct ColorTransferRun {
  let command: NCFCommand.ColorTransfer

  func run() throws {
    let c = command
    var settings = ColorTransferConfiguration()
    settings.training = try c.training.configuration()
    settings.cost = c.training.cost.cost
    c.training.cost.warnIfDeprecated()
    settings.seed = settings.training.seed
    c.evaluation.apply(to: &settings)
    if let m = settings.validationError() { throw CLIError("invalid settings: \(m)") }

    // Fail fast on outputs before reading or training.
    try Files.checkWritable(c.out, what: "output image")
    if let r = c.reverseOut { try Files.checkWritable(r, what: "reverse output image") }
    if let r = c.report { try Files.checkWritable(r, what: "report") }
    if let f = c.figure { try Files.checkWritable(f, what: "figure") }
    if let s = c.saveModel { try Files.checkWritable(s, what: "model") }

    var content = try RGBImage(contentsOfFile: c.content)
    var style = try RGBImage(contentsOfFile: c.style)
    if let side = c.maxSide {
      content = content.downscaled(maxSide: side)
      style = style.downscaled(maxSide: side)
    }
    let loaded = try c.model.map(Files.model)
    if let loaded, loaded.dimension != 3 { throw CLIError("\(c.model!): the model is \(loaded.dimension)-D; a colour model is 3-D") }
    if let threads = c.training.threads { BLASThreads.set(threads) }

    say("colour transfer: content \(c.content) (\(content.width)×\(content.height)), style \(c.style) (\(style.width)×\(style.height))")
    say("NCF \(Summary.cost(loaded?.cost ?? settings.cost)); baselines: \(Cost.sqeuclidean.definition)")
    let run: ColorTransferPipeline.Result
    do {
      run = try Files.refusingNonFinite(model: c.model ?? "the trained model", source: c.content, target: c.style) {
        try TrainingRun.run(quiet: c.quiet, log: nil) { progress, shouldStop in
          try ColorTransferPipeline(configuration: settings).run(
            content: (content, c.content), style: (style, c.style), model: loaded.map { ($0, c.model) },
            reverse: c.reverseOut != nil, progress: progress, shouldStop: shouldStop,
            mappingThreads: c.training.threads == nil ? 1 : nil, mapping: mappingProgress(content: content, style: style),
            status: self.progress)
        }
      }
    } catch NCFSolverError.nonFiniteLoss(let step, let hj, let energy, _) {
      throw CLIError("training failed: the loss became non-finite at step \(step) (HJ \(hj), energy \(energy)); try a smaller --learning-rate; nothing was written")
    }

    let interrupted = run.training?.stoppedEarly == true && Interrupt.requested
    if let training = run.training {
      if interrupted {
        FileHandle.standardError.write(Data("interrupted: continuing with the model after step \(training.steps)\n".utf8))
      }
      say("trained \(training.steps) steps in \(NumberFormat.seconds(training.seconds))" + String(
        format: " (held-out energy distance: forward %.2e, backward %.2e)", training.certificate.forwardEnergyDistance,
        training.certificate.backwardEnergyDistance))
    } else {
      say("using the model in \(c.model!) (no training)")
    }
    if let path = c.saveModel {
      try ModelFile.save(run.model, to: path)
      say("model written to \(path)")
    }
    for (image, path) in [(run.recolored, c.out), run.reverse.map { ($0, c.reverseOut!) }].compactMap({ $0 }) {
      try image.write(toFile: path, jpegQuality: c.jpegQuality)
      say("wrote \(path) (\(image.width)×\(image.height))")
    }
    if let path = c.figure {
      let figure = RGBImage.sideBySide([content, style, run.recolored] + (run.reverse.map { [$0] } ?? []), height: 256)
      try figure.write(toFile: path, jpegQuality: c.jpegQuality)
      say("wrote \(path) (content | style | result\(run.reverse == nil ? "" : " | reverse"))")
    }

    printReport(run.report)
    if let b = run.baselines, !b.sinkhorn.converged {
      FileHandle.standardError.write(Data(String(format:
        "warning: the Sinkhorn baseline did not converge (ε = %g, %d iterations, marginal error %.2e); its row is not a converged result — try a larger --epsilon\n",
        b.sinkhorn.targetEpsilon, b.sinkhorn.iterations, b.sinkhorn.marginalError).utf8))
    }
    if let b = run.baselines, !b.exact.isOptimal {
      FileHandle.standardError.write(Data("warning: the exact-OT baseline is not certified optimal (\(b.exact.certificate.summary))\n".utf8))
    }
    if let path = c.report {
      try Files.write([UInt8](try run.report.json()), to: path)
      say("report written to \(path)")
    }
    if interrupted { throw ExitCode(130) }
  }

  /// Progress of mapping images of 2²¹ pixels or more on stderr: a bar on a
  /// terminal, one line per tenth otherwise.
  func mappingProgress(content: RGBImage, style: RGBImage) -> ((String, Double) -> Void)? {
    guard !command.quiet else { return nil }
    let tty = isatty(STDERR_FILENO) == 1
    var lastTenth = -1
    var begin = Date()
    return { image, fraction in
      guard (image == "content" ? content : style).pixelCount >= 1 << 21 else { return }
      if fraction <= 0 { begin = Date() }
      let label = "mapping \(image)"
      let eta = fraction > 0 ? Date().timeIntervalSince(begin) / fraction * (1 - fraction) : 0
      if tty {
        FileHandle.standardError.write(Data("\r\(label) \(ProgressReporter.bar(fraction))  ETA \(ProgressReporter.duration(eta))".utf8))
        if fraction >= 1 { FileHandle.standardError.write(Data("\n".utf8)) }
      } else if Int(fraction * 10) != lastTenth {
        lastTenth = Int(fraction * 10)
        FileHandle.standardError.write(Data("\(label): \(Int(fraction * 100))%\n".utf8))
      }
    }
  }

  // MARK: - Output

  func say(_ line: String) { print(line) }

  func progress(_ line: String) {
    if !command.quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
  }

  func printReport(_ r: ColorTransferReport) {
    print("")
    print("metric (EMD, HI): \(r.metric.definition)")
    if let m = r.secondaryMetric { print("secondary (EMD₂, HI₂): \(m.definition)") }
    for d in [r.forward] + (r.backward.map { [$0] } ?? []) {
      print("")
      print("\(d.direction) (\(d.evaluationPixels) evaluation pixels vs all \(d.referencePixels) reference pixels):")
      print(ColorTransferReport.table(d))
    }
    if let e = r.exact, let s = r.sinkhorn {
      print("")
      print(String(format: "baselines: exact OT %@ (%d pivots, %.1f s); Sinkhorn ε = %g %@ (%d iterations, marginal error %.1e, %.1f s)",
                   e.certified ? "certified optimal" : "NOT certified", e.pivots, e.seconds, s.epsilon,
                   s.converged ? "converged" : "DID NOT CONVERGE", s.iterations, s.marginalError, s.seconds))
    }
    print(String(format: "time: %.1f s in all", r.seconds["total"] ?? 0))
  }
}
