import Foundation
import NCFFileSystem

/// The JSON-lines training log (`ncf train --log`, `ncf demo --log`): one
/// object per progress report, keys sorted. The one definition of its
/// format, for the writer and for the readers (`ncf plot --log`).
public enum TrainingLog {
  /// One report as a line of the log (with its newline).
  public static func line(_ p: TrainingProgress) -> Data {
    var record: [String: Any] = [
      "step": p.step, "iterations": p.iterations, "learning_rate": p.learningRate, "hj_loss": p.hjLoss,
      "total_loss": p.totalLoss, "gradient_norm": p.gradientNorm, "elapsed_s": p.elapsed,
    ]
    if p.energyDistance.isFinite { record["energy_distance"] = p.energyDistance }
    if let dual = p.dualValue { record["dual_value"] = dual }
    if let v = p.validation {
      record["validation"] = ["hj_residual": v.hjResidual, "forward_energy_distance": v.forwardEnergyDistance,
                              "backward_energy_distance": v.backwardEnergyDistance]
    }
    guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) else { return Data() }
    return data + Data("\n".utf8)
  }

  /// The loss history in a log file.
  /// - Throws: ``SettingsFileError`` naming the file and the first bad line.
  public static func read(_ path: String) throws -> [LossPoint] {
    func fail(_ reason: String) -> SettingsFileError { SettingsFileError(path: path, reason: reason) }
    let data: Data
    do throws(FileRead.Failure) {
      data = try FileRead.contents(of: path)
    } catch {
      switch error {
      case .notFound: throw fail("no such file")
      case .isDirectory: throw fail("is a directory, expected a JSON-lines log file")
      case .unreadable: throw fail("cannot read file")
      }
    }
    guard let text = String(data: data, encoding: .utf8) else { throw fail("cannot read file") }
    var points: [LossPoint] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any],
            let step = (object["step"] as? NSNumber)?.intValue,
            let hj = (object["hj_loss"] as? NSNumber)?.doubleValue else {
        throw fail("line \(index + 1) is not a progress record (expected a JSON object with step and hj_loss)")
      }
      let validation = object["validation"] as? [String: Any]
      points.append(LossPoint(step: step, hjLoss: hj, energyDistance: (object["energy_distance"] as? NSNumber)?.doubleValue,
                              heldOutForward: (validation?["forward_energy_distance"] as? NSNumber)?.doubleValue))
    }
    if points.isEmpty { throw fail("the log holds no progress records") }
    return points
  }
}

/// A point of a training history, from the solver or from a training log.
public struct LossPoint: Sendable, Equatable {
  public var step: Int
  public var hjLoss: Double
  /// The minibatch energy distance (absent on validation-only reports).
  public var energyDistance: Double?
  /// Held-out forward energy distance on validation steps.
  public var heldOutForward: Double?

  public init(step: Int, hjLoss: Double, energyDistance: Double?, heldOutForward: Double?) {
    self.step = step
    self.hjLoss = hjLoss
    self.energyDistance = energyDistance
    self.heldOutForward = heldOutForward
  }

  public init(_ p: TrainingProgress) {
    self.init(step: p.step, hjLoss: p.hjLoss, energyDistance: p.energyDistance.isFinite ? p.energyDistance : nil,
              heldOutForward: p.validation?.forwardEnergyDistance)
  }
}
