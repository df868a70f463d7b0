import ArgumentParser
import Foundation
import NCFTensor
import NCFTransport
import NCFData

/// The work of `ncf ot`: read and check the inputs, build the problem,
/// solve, report, and write the plan only for a trustworthy result.
struct OTRun {
  let command: NCFCommand.OT

  /// What a solve produced, method-independently.
  struct Outcome {
    /// ⟨P, C⟩ of the plan.
    var cost: Double
    /// Whether the result is certified optimal (exact) or converged (Sinkhorn).
    var trustworthy: Bool
    /// The JSON fields of the method.
    var details: [String: Any]
    /// Human-readable lines describing convergence or the certificate.
    var lines: [String]
    /// One line for stderr when the result is not trustworthy.
    var failure: String?
    /// The plan's nonzero entries (i, j, mass).
    var plan: () -> [PlanEntry]
  }

  /// The largest n·m accepted: the cost matrix alone takes 8·n·m bytes
  /// (Sinkhorn keeps a transposed copy too).
  static let maximumPairs = 150_000_000

  func run() throws {
    let c = command
    let cost = try CostOption.parse(c.cost)
    CostOption.warnIfDeprecated(c.cost)
    if let path = c.planOut { try Files.checkWritable(path, what: "plan") }

    var clock = Date()
    let (x, y) = try Files.pair(source: c.samples.source, target: c.samples.target, minimumRows: 1)
    let a = try c.sourceWeights.map(SampleFile.readWeights)
    let b = try c.targetWeights.map(SampleFile.readWeights)
    if let a, a.count != x.rows {
      throw CLIError("\(c.sourceWeights!): \(a.count) weights but \(c.samples.source) has \(x.rows) source points")
    }
    if let b, b.count != y.rows {
      throw CLIError("\(c.targetWeights!): \(b.count) weights but \(c.samples.target) has \(y.rows) target points")
    }
    if x.rows * y.rows > Self.maximumPairs {
      throw CLIError("\(c.samples.source), \(c.samples.target): \(x.rows)×\(y.rows) pairs is too large for a dense cost matrix (limit \(Self.maximumPairs) pairs, \(Self.maximumPairs * 8 / 1_000_000) MB); subsample the points")
    }
    let problem: DiscreteOTProblem
    do {
      problem = try DiscreteOTProblem(source: x, target: y, a: a, b: b, cost: cost, normalizingMasses: c.normalizeMasses)
    } catch let e as DiscreteOTError {
      throw CLIError(message(for: e))
    }
    let readSeconds = Date().timeIntervalSince(clock)

    clock = Date()
    let outcome = c.method == .exact ? solveExact(problem) : solveSinkhorn(problem)
    let solveSeconds = Date().timeIntervalSince(clock)

    // The plan is written only for a certified / converged (or explicitly accepted) result.
    let writePlan = outcome.trustworthy || (c.method == .sinkhorn && c.acceptUnconverged)
    var planCount: Int?
    clock = Date()
    if let path = c.planOut, writePlan {
      let entries = outcome.plan().filter { $0.mass > c.planThreshold }
      if entries.isEmpty { throw CLIError("\(path): no plan entry has mass above --plan-threshold \(c.planThreshold); nothing was written") }
      try OTPlanFile.write(entries, to: path)
      planCount = entries.count
    }
    let writeSeconds = Date().timeIntervalSince(clock)

    if c.json {
      var object: [String: Any] = [
        "method": c.method.rawValue, "cost_function": cost.name, "cost_definition": cost.definition,
        "cost": outcome.cost, "n": x.rows, "m": y.rows, "dimension": x.columns, "total_mass": problem.totalMass,
        "masses_normalized": c.normalizeMasses, "trustworthy": outcome.trustworthy,
        "seconds": ["read": readSeconds, "solve": solveSeconds, "write": writeSeconds],
      ]
      object[c.method.rawValue] = outcome.details
      if let path = c.planOut {
        object["plan"] = ["path": path, "written": planCount != nil, "nonzeros": planCount as Any]
      }
      let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print("ot: \(x.rows) source and \(y.rows) target points in \(x.columns)-D (\(c.samples.source) → \(c.samples.target))")
      print("cost: \(cost.definition)")
      print("weights: \(c.sourceWeights == nil ? "uniform" : c.sourceWeights!) → \(c.targetWeights == nil ? "uniform" : c.targetWeights!)"
            + (c.normalizeMasses ? " (normalised to total mass 1)" : "") + ", total mass \(String(format: "%.12g", problem.totalMass))")
      outcome.lines.forEach { print($0) }
      if let path = c.planOut {
        print(planCount.map { "plan: \($0) nonzero entries written to \(path)" } ?? "plan: not written (the result is not trustworthy)")
      }
      print(String(format: "time: %.3f s solve, %.3f s reading, %.3f s writing", solveSeconds, readSeconds, writeSeconds))
    }
    if let failure = outcome.failure {
      if outcome.trustworthy || (c.method == .sinkhorn && c.acceptUnconverged) {
        FileHandle.standardError.write(Data("warning: \(failure)\n".utf8))
      } else {
        throw CLIError(failure)
      }
    }
  }

  // MARK: - Solvers

  func solveExact(_ problem: DiscreteOTProblem) -> Outcome {
    let out = NetworkSimplex().solve(problem)
    let cert = out.certificate
    let details: [String: Any] = [
      "status": out.status.rawValue, "certified": out.isOptimal, "pivots": out.iterations,
      "degenerate_pivots": out.degeneratePivots, "reduced_cost_violation": cert.maxReducedCostViolation,
      "slackness_violation": cert.maxSlacknessViolation, "marginal_error": cert.maxMarginalError,
      "duality_gap": cert.dualityGap, "dual_objective": out.dualObjective, "cost_tolerance": cert.costTolerance,
      "marginal_tolerance": cert.marginalTolerance, "support": out.support.count,
    ]
    var lines: [String] = []
    if out.isOptimal {
      lines.append("method: exact (network simplex, float64): CERTIFIED OPTIMAL")
      lines.append(String(format: "optimal cost: %.12g", out.cost))
    } else {
      lines.append("method: exact (network simplex, float64): NOT CERTIFIED (\(out.status.rawValue))")
      lines.append(String(format: "cost of the returned plan (not certified optimal): %.12g", out.cost))
    }
    lines.append(String(format: "certificate: reduced-cost violation %.3g, slackness violation %.3g (tolerance %.3g); marginal error %.3g (tolerance %.3g); duality gap %.3g",
                        cert.maxReducedCostViolation, cert.maxSlacknessViolation, cert.costTolerance,
                        cert.maxMarginalError, cert.marginalTolerance, cert.dualityGap))
    lines.append("solver: \(out.iterations) pivots (\(out.degeneratePivots) degenerate), plan support \(out.support.count) entries")
    let failure = out.isOptimal ? nil
      : "network simplex could not certify optimality (\(out.status.rawValue)): duality gap \(cert.dualityGap), reduced-cost violation \(cert.maxReducedCostViolation) (tolerance \(cert.costTolerance)); no plan was written"
    return Outcome(cost: out.cost, trustworthy: out.isOptimal, details: details, lines: lines, failure: failure,
                   plan: { out.support })
  }

  func solveSinkhorn(_ problem: DiscreteOTProblem) -> Outcome {
    let c = command
    let epsilon = c.epsilon ?? Sinkhorn.defaultEpsilon(for: problem)
    let out = Sinkhorn(epsilon: epsilon, tolerance: c.tolerance, maxIterations: c.maxIterations)(problem)
    let details: [String: Any] = [
      "epsilon": epsilon, "epsilon_default": c.epsilon == nil, "converged": out.converged, "diverged": out.diverged,
      "iterations": out.iterations, "marginal_error": out.marginalError, "tolerance": out.tolerance,
      "reached_epsilon": out.epsilon, "transport_cost": out.transportCost, "primal_objective": out.primalCost,
      "dual_objective": out.dualCost,
    ]
    let eps = String(format: "%.4g", epsilon) + (c.epsilon == nil ? " (default: 1% of the mean cost)" : "")
    var lines: [String] = []
    if out.converged {
      lines.append("method: sinkhorn (log-domain, ε-scaling), ε = \(eps): converged in \(out.iterations) iterations")
      lines.append(String(format: "entropic transport cost ⟨P, C⟩: %.12g (regularised objective %.12g)", out.transportCost, out.primalCost))
    } else {
      let why = out.diverged ? "DIVERGED (non-finite potentials)" : "NOT CONVERGED"
      lines.append("method: sinkhorn (log-domain, ε-scaling), ε = \(eps): \(why) after \(out.iterations) iterations")
      lines.append(String(format: "entropic transport cost ⟨P, C⟩ of the NON-CONVERGED plan: %.12g (not a valid result)", out.transportCost))
    }
    lines.append(String(format: "marginal error ‖P𝟙 − a‖₁: %.3g (tolerance %.3g × mass %.6g)", out.marginalError, out.tolerance, problem.totalMass)
                 + (out.epsilon != epsilon ? String(format: "; stopped at ε = %.4g before reaching the target", out.epsilon) : ""))
    let failure = out.converged ? nil
      : String(format: "Sinkhorn did not converge with ε = %.4g: marginal error %.3g > tolerance %.3g after %d iterations%@; increase --epsilon or --max-iterations%@",
               epsilon, out.marginalError, out.tolerance * problem.totalMass, out.iterations,
               out.diverged ? " (diverged)" : "",
               c.acceptUnconverged ? " (result kept: --accept-unconverged)" : ", or pass --accept-unconverged to keep this result; no plan was written")
    return Outcome(cost: out.transportCost, trustworthy: out.converged, details: details, lines: lines, failure: failure,
                   plan: { out.support })
  }

  /// The message for a problem that could not be built, naming the files.
  func message(for error: DiscreteOTError) -> String {
    let c = command
    switch error {
    case .invalidWeight(let side, let k, let v):
      let file = (side == .source ? c.sourceWeights : c.targetWeights) ?? (side == .source ? c.samples.source : c.samples.target)
      return "\(file): \(side.rawValue) weight \(k) (0-based) is \(v); weights must be finite and ≥ 0"
    case .zeroTotalMass(let side):
      let file = (side == .source ? c.sourceWeights : c.targetWeights) ?? (side == .source ? c.samples.source : c.samples.target)
      return "\(file): the \(side.rawValue) weights sum to zero"
    case .unbalancedMasses(let sa, let sb):
      return "unequal masses: the source weights sum to \(sa) but the target weights to \(sb) (relative difference \(String(format: "%.3g", abs(sa - sb) / max(sa, sb)))); pass --normalize-masses to rescale both to 1"
    case .nonFiniteCost(let i, let j, let v):
      return "the cost between source point \(i) and target point \(j) is \(v); costs must be finite (coordinates too large for --cost \(c.cost)?)"
    default:
      return error.description
    }
  }
}

/// Writing a plan as (i, j, mass) triplets.
enum OTPlanFile {
  /// `.csv`: a header `i,j,mass` and one entry per line (integers, then the
  /// shortest float64 text that reads back exactly); `.npy`: float64 k×3.
  static func write(_ entries: [PlanEntry], to path: String) throws {
    if Files.pathExtension(path) == "npy" {
      let t = Tensor<Double>(rows: entries.count, columns: 3) { out in
        for (r, e) in entries.enumerated() {
          out[3 * r] = Double(e.row)
          out[3 * r + 1] = Double(e.column)
          out[3 * r + 2] = e.mass
        }
      }
      do { try SampleFile.write(t, to: path, precision: .float64) } catch let e as DataError { throw CLIError(e.description) }
    } else {
      var text = "i,j,mass\n"
      text.reserveCapacity(entries.count * 32)
      for e in entries { text += "\(e.row),\(e.column),\(e.mass.description)\n" }
      try Files.writeText(text, to: path)
    }
  }
}
