import Foundation

/// Splitting a loop over rows across the cores: the one helper every
/// parallel kernel outside BLAS uses (cost matrices, Sinkhorn updates,
/// entropic maps).
public enum Parallel {
  /// Runs `body(lo, hi)` over a split of `0..<count` into contiguous ranges,
  /// on up to 8 cores when `minimumWork` (an estimate of the total work in
  /// simple operations) is at least `grain`; otherwise once, on the calling
  /// thread.
  ///
  /// Each index is handed to exactly one invocation, so `body` may write to
  /// disjoint parts of shared buffers without synchronisation. Results that
  /// are sums over ranges depend on the number of cores; keep such sums per
  /// index (as the callers do) when bit-identical results matter.
  public static func ranges(_ count: Int, minimumWork: Int, grain: Int, _ body: (Int, Int) -> Void) {
    let threads = (minimumWork >= grain && count >= 2) ? Swift.min(ProcessInfo.processInfo.activeProcessorCount, count, 8) : 1
    if threads <= 1 {
      if count > 0 { body(0, count) }
      return
    }
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: threads) { t in
        body(count * t / threads, count * (t + 1) / threads)
      }
    }
  }
}
