import Foundation
import Testing
import NCFTensor
import NCFTransport

/// Timings for bench/discrete/run.sh. Disabled unless NCF_BENCH is set, so
/// they never run in CI. Each benchmark writes its inputs (CSV, 17
/// significant digits) and results to $NCF_BENCH_DIR (default
/// /tmp/ncf-bench-discrete) for bench/discrete/pot_reference.py.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["NCF_BENCH"] != nil))
struct DiscreteBenchmarks {
  let directory = ProcessInfo.processInfo.environment["NCF_BENCH_DIR"] ?? "/tmp/ncf-bench-discrete"

  func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  func write(_ t: Tensor<Double>, _ name: String) throws {
    var s = ""
    s.reserveCapacity(t.count * 24)
    for i in 0..<t.rows {
      s += (0..<t.columns).map { String(format: "%.17g", t[i, $0]) }.joined(separator: ",")
      s += "\n"
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try s.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
  }

  func record(_ line: String) throws {
    print("BENCH " + line)
    let path = directory + "/swift_results.txt"
    if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    h.seekToEndOfFile()
    h.write((line + "\n").data(using: .utf8)!)
    try h.close()
  }

  /// Uniform weights, ‖x − y‖² cost, 2-D Gaussians: x ~ N(0, I), y ~ N((1, 1), diag(1.5², 0.5²)).
  @Test(arguments: [500, 1000, 2000, 5000])
  func exactOT(n: Int) throws {
    var rng = SeededRandom(seed: UInt64(20_000 + n))
    let x = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
    var y = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
    for i in 0..<n { y[i, 0] = 1 + 1.5 * y[i, 0]; y[i, 1] = 1 + 0.5 * y[i, 1] }
    try write(x, "ot_x_\(n).csv")
    try write(y, "ot_y_\(n).csv")
    var problem: DiscreteOTProblem!
    let build = try seconds { problem = try DiscreteOTProblem(source: x, target: y) }
    var out: ExactOTOutput!
    let solve = try seconds { out = try NetworkSimplex()(problem) }
    try record(
      "exact n=\(n) build_s=\(build) solve_s=\(solve) cost=\(String(format: "%.15g", out.cost)) "
        + "pivots=\(out.iterations) degenerate=\(out.degeneratePivots) passes=\(out.verificationPasses) "
        + "violation=\(out.certificate.maxReducedCostViolation) gap=\(out.certificate.dualityGap)")
  }

  @Test func energyDistance() throws {
    let n = 10_000, d = 64
    var rng = SeededRandom(seed: 30_000)
    let x = Tensor<Double>.normal(rows: n, columns: d, using: &rng)
    let y = Tensor<Double>.normal(rows: n, columns: d, mean: 0.1, standardDeviation: 1.1, using: &rng)
    try write(x, "energy_x.csv")
    try write(y, "energy_y.csv")
    var v: EnergyDistanceOutput!, u: EnergyDistanceOutput!, f: EnergyDistanceOutput!
    let tv = seconds { v = EnergyDistance()(x, y) }
    let tu = seconds { u = EnergyDistance(estimator: .uStatistic)(x, y) }
    let xf = x.converted(to: Float.self), yf = y.converted(to: Float.self)
    let tf = seconds { f = EnergyDistance()(xf, yf) }
    var s: SlicedEnergyDistanceOutput!
    let ts = seconds { s = SlicedEnergyDistance(directions: 256, seed: 1)(x, y) }
    try record("energy n=\(n) d=\(d) v_s=\(tv) v=\(String(format: "%.15g", v.value))")
    try record("energy_u n=\(n) d=\(d) u_s=\(tu) u=\(String(format: "%.15g", u.value))")
    try record("energy_float n=\(n) d=\(d) s=\(tf) v=\(String(format: "%.15g", f.value))")
    try record("energy_sliced n=\(n) d=\(d) K=256 s=\(ts) v=\(s.value) se=\(s.standardError)")
  }

  @Test func sinkhorn() throws {
    let n = 1000
    var rng = SeededRandom(seed: 20_000 + UInt64(n))
    let x = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
    var y = Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
    for i in 0..<n { y[i, 0] = 1 + 1.5 * y[i, 0]; y[i, 1] = 1 + 0.5 * y[i, 1] }
    let problem = try DiscreteOTProblem(source: x, target: y)
    var out: SinkhornOutput!
    let eps = 0.01 * problem.cost.maxAbs()
    let t = seconds { out = Sinkhorn(epsilon: eps, tolerance: 1e-4, maxIterations: 5000)(problem) }
    try record(
      "sinkhorn n=\(n) eps=\(eps) s=\(t) iterations=\(out.iterations) converged=\(out.converged) "
        + "cost=\(String(format: "%.15g", out.transportCost))")
  }
}
