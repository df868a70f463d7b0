extension CostSpec {
  /// Why this cost cannot be used, or nil. `lp(P)` needs a finite P > 1
  /// whose Hamiltonian exponent q = P/(P − 1) is still above 1 in Double
  /// (from P ≈ 10¹⁶ on it rounds to exactly 1).
  public var validationError: String? {
    guard case .lp(let p) = self else { return nil }
    guard p > 1, p.isFinite else { return "the lp cost exponent P = \(p) must be a finite number > 1" }
    guard p / (p - 1) > 1 else { return "the lp cost exponent P = \(p) is too large: q = P/(P − 1) rounds to 1" }
    return nil
  }
}
