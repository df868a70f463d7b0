import Foundation

/// Wall-clock timing for benchmarks: best and median of `repeats` runs after
/// `warmup` runs (best is the figure least disturbed by a noisy machine).
/// Benchmarks report ratios of timings taken in the same process.
public struct Timing: Sendable {
  public var best: Double
  public var median: Double

  public static func measure(repeats: Int = 7, warmup: Int = 2, _ body: () -> Void) -> Timing {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
      let start = DispatchTime.now().uptimeNanoseconds
      body()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    times.sort()
    return Timing(best: times[0], median: times[times.count / 2])
  }
}
