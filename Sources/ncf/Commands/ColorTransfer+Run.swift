import ArgumentParser
import Foundation
import NCFTensor
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
    settings.seed = settings.training.seed
    c.evaluation.apply(to: &settings)
    if let m = settings.validationError() { throw CLIError("invalid settings: \(m)") }

    // Fail fast on outputs before reading or training.
    try Files.checkWritable(c.out, what: "output image")
    if let r = c.reverseOut { try Files.checkWritable(r, what: "reverse output image") }
    if let r = c.report { try Files.checkWritable(r, what: "report") }
    if let f = c.figure { try Files.checkWritable(f, what: "figure") }
    if let s = c.saveModel { try Files.checkWritable(s, what: "model") }

    var content = try Self.readImage(c.content)
    var style = try Self.readImage(c.style)
    if let side = c.maxSide {
      content = content.downscaled(maxSide: side)
      style = style.downscaled(maxSide: side)
    }
    var loaded: NCFModel?
    if let path = c.model {
      do { loaded = try ModelFile.load(from: path) } catch let e as ModelFileError { throw CLIError(e.description) }
      if loaded!.dimension != 3 { throw CLIError("\(path): the model is \(loaded!.dimension)-D; a colour model is 3-D") }
    }
    if let threads = c.training.threads { BLASThreads.set(threads) }

    let pipeline = ColorTransferPipeline(configuration: settings)
    let start = Date()
    var seconds: [String: Double] = [:]
    say("colour transfer: content \(c.content) (\(content.width)×\(content.height)), style \(c.style) (\(style.width)×\(style.height))")

    // 1. The model.
    let model: NCFModel
    let trainingInfo: ColorTransferReport.TrainingInfo
    var interrupted = false
    if let loaded {
      model = loaded
      trainingInfo = .init(model: loaded, steps: 0, seconds: 0, loadedFrom: c.model)
      say("using the model in \(c.model!) (no training)")
    } else {
      let t = settings.training
      progress("training on random pixels: \(t.iterations) steps, batch \(t.energyBatch), \(t.width)×\(t.depth) \(t.activation) network")
      let result = try train(pipeline, content: content, style: style)
      model = result.model
      interrupted = result.stoppedEarly && Interrupt.requested
      trainingInfo = .init(model: model, steps: result.steps, seconds: result.seconds)
      seconds["training"] = result.seconds
      if interrupted {
        FileHandle.standardError.write(Data("interrupted: continuing with the model after step \(result.steps)\n".utf8))
      }
      var line = "trained \(result.steps) steps in \(Self.seconds(result.seconds))"
      if let cert = model.certificate {
        line += String(format: " (held-out energy distance: forward %.2e, backward %.2e)",
                       cert.forwardEnergyDistance, cert.backwardEnergyDistance)
      }
      say(line)
      if let path = c.saveModel {
        do { try ModelFile.save(model, to: path) } catch let e as ModelFileError { throw CLIError(e.description) }
        say("model written to \(path)")
      }
    }

    // 2. Recolour and write.
    var mark = Date()
    let result = try recolor(content, with: NCFColorMap(model: model, direction: .forward), label: "mapping content")
    try write(result, to: c.out)
    say("wrote \(c.out) (\(result.width)×\(result.height))")
    var reverse: RGBImage?
    if let path = c.reverseOut {
      let image = try recolor(style, with: NCFColorMap(model: model, direction: .backward), label: "mapping style")
      try write(image, to: path)
      reverse = image
      say("wrote \(path) (\(image.width)×\(image.height))")
    }
    if let path = c.figure {
      try write(RGBImage.sideBySide([content, style, result] + (reverse.map { [$0] } ?? []), height: 256), to: path)
      say("wrote \(path) (content | style | result\(reverse == nil ? "" : " | reverse"))")
    }
    seconds["mapping"] = Date().timeIntervalSince(mark)

    // 3. Baselines and scores.
    mark = Date()
    if settings.baselines {
      progress("solving the baselines: exact OT and Sinkhorn on \(min(settings.baselineSamples, content.pixelCount, style.pixelCount)) pixels per image")
    }
    let baselines: DiscreteColorBaselines?
    do { baselines = try pipeline.baselines(content: content, style: style) } catch { throw CLIError("baselines failed: \(error)") }
    seconds["baselines"] = Date().timeIntervalSince(mark)
    mark = Date()
    let forward: ColorTransferReport.DirectionReport
    var backward: ColorTransferReport.DirectionReport?
    do {
      forward = try pipeline.evaluate(.forward, content: content, style: style, recolored: result, baselines: baselines)
      if let reverse {
        backward = try pipeline.evaluate(.backward, content: content, style: style, recolored: reverse, baselines: baselines)
      }
    } catch let e as ColorTransferError {
      throw CLIError(e.description)
    }
    seconds["evaluation"] = Date().timeIntervalSince(mark)
    seconds["total"] = Date().timeIntervalSince(start)

    let report = ColorTransferReport(
      content: .init(path: c.content, width: content.width, height: content.height),
      style: .init(path: c.style, width: style.width, height: style.height), metric: settings.metric,
      secondaryMetric: settings.secondaryMetric, forward: forward, backward: backward, training: trainingInfo, baselines: baselines, seconds: seconds)
    printReport(report)
    if let b = baselines, !b.sinkhorn.converged {
      FileHandle.standardError.write(Data(String(format:
        "warning: the Sinkhorn baseline did not converge (ε = %g, %d iterations, marginal error %.2e); its row is not a converged result — try a larger --epsilon\n",
        b.sinkhorn.targetEpsilon, b.sinkhorn.iterations, b.sinkhorn.marginalError).utf8))
    }
    if let b = baselines, !b.exact.isOptimal {
      FileHandle.standardError.write(Data("warning: the exact-OT baseline is not certified optimal (\(b.exact.certificate.summary))\n".utf8))
    }
    if let path = c.report {
      try Files.write([UInt8](try report.json()), to: path)
      say("report written to \(path)")
    }
    if interrupted { throw ExitCode(130) }
  }

  // MARK: - Steps

  static func readImage(_ path: String) throws -> RGBImage {
    do { return try RGBImage(contentsOfFile: path) } catch { throw CLIError(error.description) }
  }

  func train(_ pipeline: ColorTransferPipeline, content: RGBImage, style: RGBImage) throws -> NCFTrainingResult {
    Interrupt.install()
    let reporter = try ProgressReporter(quiet: command.quiet, logPath: nil)
    defer { reporter.finish() }
    do {
      return try pipeline.train(
        content: content, style: style, progress: { reporter.report($0); return true },
        shouldStop: { Interrupt.requested })
    } catch NCFTrainingError.nonFiniteLoss(let step, let hj, let energy, _) {
      throw CLIError("training failed: the loss became non-finite at step \(step) (HJ \(hj), energy \(energy)); try a smaller --learning-rate; nothing was written")
    } catch let e as NCFTrainingError {
      throw CLIError(e.description)
    } catch let e as ColorTransferError {
      throw CLIError(e.description)
    }
  }

  /// Recolours `image`, with a progress line on stderr for large images.
  func recolor(_ image: RGBImage, with map: NCFColorMap, label: String) throws -> RGBImage {
    // The map runs one chunk per core itself; BLAS threads on top only
    // oversubscribe the cores (unless the user chose --threads).
    let previousThreads = BLASThreads.current
    let ownThreads = command.training.threads == nil
    if ownThreads { BLASThreads.set(1) }
    defer { if ownThreads { BLASThreads.set(previousThreads) } }

    let showProgress = !command.quiet && image.pixelCount >= 1 << 21
    let tty = isatty(STDERR_FILENO) == 1
    let begin = Date()
    var lastTenth = -1
    defer { if showProgress && tty { FileHandle.standardError.write(Data("\n".utf8)) } }
    do {
      return try image.recolored(by: map) { done, total in
        guard showProgress else { return true }
        let fraction = Double(done) / Double(total)
        let eta = fraction > 0 ? Date().timeIntervalSince(begin) / fraction * (1 - fraction) : 0
        if tty {
          let filled = Int(fraction * 24)
          let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled)
          FileHandle.standardError.write(Data(String(format: "\r%@ %@ %3d%%  ETA %@", label, bar, Int(fraction * 100), ProgressReporter.duration(eta)).utf8))
        } else if Int(fraction * 10) != lastTenth {
          lastTenth = Int(fraction * 10)
          FileHandle.standardError.write(Data("\(label): \(Int(fraction * 100))%\n".utf8))
        }
        return true
      }
    } catch {
      throw CLIError("\(label == "mapping content" ? command.content : command.style): \(error.description); nothing was written")
    }
  }

  func write(_ image: RGBImage, to path: String) throws {
    do { try image.write(toFile: path, jpegQuality: command.jpegQuality) } catch { throw CLIError(error.description) }
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

  static func seconds(_ s: Double) -> String {
    s < 60 ? String(format: "%.1f s", s) : String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60)
  }
}
