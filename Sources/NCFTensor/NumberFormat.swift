import Foundation

/// How numbers are written in reports and summaries, so that every output
/// shows a quantity the same way.
public enum NumberFormat {
  /// Scientific notation with three significant digits (`1.23e-04`), or `n/a`.
  public static func sci(_ x: Double?) -> String {
    guard let x else { return "n/a" }
    return x.isFinite ? String(format: "%.3e", x) : "\(x)"
  }

  /// Fixed notation with `digits` decimals.
  public static func fixed(_ x: Double, _ digits: Int = 3) -> String {
    x.isFinite ? String(format: "%.\(digits)f", x) : "\(x)"
  }

  /// `12.3 s`, `2 min 05 s`.
  public static func seconds(_ s: Double) -> String {
    s < 60 ? String(format: "%.1f s", s) : String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60)
  }

  /// The shortest round-trip text (`0.001`, `1`, `2.5`).
  public static func shortest(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
  }
}
