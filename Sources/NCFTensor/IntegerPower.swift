extension Double {
  /// xⁿ by repeated multiplication (n ≤ 0 gives 1; n is capped at 100 000).
  ///
  /// Why not `pow`: libm's `pow` may differ by an ulp between platforms,
  /// and optimiser state (Adam's bias corrections, step schedules) must be
  /// bit-identical everywhere for the same seed and settings.
  /// - Complexity: O(min(n, 100 000)).
  public func raised(toInteger n: Int) -> Double {
    var r = 1.0
    for _ in 0..<Swift.max(0, Swift.min(n, 100_000)) { r *= self }
    return r
  }
}
