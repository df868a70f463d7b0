import Foundation
import NCFFlows

/// Training progress on stderr: a one-line bar with ETA and the loss terms
/// on a terminal, plain periodic lines otherwise, nothing when quiet; and an
/// optional JSON-lines log with one record per report.
final class ProgressReporter {
  enum Style { case bar, lines, quiet }
  let style: Style
  private var log: FileHandle?
  private let logPath: String?
  private var lastLineLength = 0
  /// Lines mode prints each tenth of the run once (and every validation).
  private var lastDecile = -1
  /// Bar mode redraws at most ten times a second.
  private var lastDraw = -Double.infinity

  init(quiet: Bool, logPath: String?) throws {
    style = quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
    self.logPath = logPath
    if let logPath {
      guard FileManager.default.createFile(atPath: logPath, contents: nil), let h = FileHandle(forWritingAtPath: logPath) else {
        throw CLIError("\(logPath): cannot create the log file")
      }
      log = h
    }
  }

  func report(_ p: TrainingProgress) {
    log?.write(TrainingLog.line(p))
    let fraction = Double(p.step) / Double(max(p.iterations, 1))
    let eta = p.step > 0 ? p.elapsed / Double(p.step) * Double(p.iterations - p.step) : 0
    let signal = p.dualValue.map { String(format: "dual %.3e", $0) }
      ?? "energy " + (p.energyDistance.isFinite ? String(format: "%.2e", p.energyDistance) : "–")
    let terms = String(format: "HJ %.2e  %@  lr %.1e", p.hjLoss, signal, p.learningRate)
    switch style {
    case .quiet:
      return
    case .lines:
      let decile = Int(fraction * 10)
      guard decile != lastDecile || p.validation != nil || p.step == p.iterations else { return }
      lastDecile = decile
      var line = "step \(p.step)/\(p.iterations)  \(terms)  \(Self.duration(p.elapsed)) elapsed, ETA \(Self.duration(eta))"
      if let v = p.validation {
        line += String(format: "  [held-out: HJ %.2e, energy fwd %.2e bwd %.2e]", v.hjResidual, v.forwardEnergyDistance, v.backwardEnergyDistance)
      }
      FileHandle.standardError.write(Data((line + "\n").utf8))
    case .bar:
      guard p.elapsed - lastDraw >= 0.1 || p.step == p.iterations else { return }
      lastDraw = p.elapsed
      let line = "\(Self.bar(fraction))  \(p.step)/\(p.iterations)  \(terms)  ETA \(Self.duration(eta))"
      let pad = max(0, lastLineLength - line.count)
      lastLineLength = line.count
      FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: pad)).utf8))
    }
  }

  /// Ends the bar's line.
  func finish() {
    if style == .bar && lastLineLength > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    try? log?.close()
  }

  /// `██████░░░░…  25%`: a 24-character bar and the percentage.
  static func bar(_ fraction: Double) -> String {
    let filled = max(0, min(24, Int(fraction * 24)))
    return String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled)
      + " " + String(format: "%3d", Int(fraction * 100)) + "%"
  }

  static func duration(_ s: Double) -> String {
    guard s.isFinite else { return "?" }
    let t = Int(s.rounded())
    return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", (t % 3600) / 60))m" : (t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s")
  }
}

/// An error reported to the user as one line, with a non-zero exit status.
struct CLIError: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}
