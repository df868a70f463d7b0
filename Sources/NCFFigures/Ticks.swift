import Foundation

/// How an axis maps values to positions.
public enum AxisScale: Sendable, Equatable {
  /// Position proportional to the value.
  case linear
  /// Position proportional to log₁₀ of the value; only positive values can
  /// be drawn.
  case log10
}

/// One axis tick: where it goes and what it says.
public struct Tick: Equatable, Sendable {
  /// The data value at the tick.
  public var value: Double
  /// The label text; empty for unlabelled minor ticks.
  public var label: String
  /// Major ticks are labelled and get a grid line; minor ones are short marks.
  public var isMajor: Bool

  public init(value: Double, label: String, isMajor: Bool = true) {
    self.value = value
    self.label = label
    self.isMajor = isMajor
  }
}

/// Tick placement ("nice" numbers) and tick-label formatting.
public enum Ticks {
  /// The step among 1, 2, 5 × 10ᵏ closest to giving `target` intervals over `span`.
  /// - Precondition: span > 0 and finite, target ≥ 1.
  public static func niceStep(span: Double, target: Int = 5) -> Double {
    precondition(span > 0 && span.isFinite && target >= 1, "niceStep needs a positive finite span")
    let raw = span / Double(target)
    let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
    let fraction = raw / magnitude
    // Thresholds at the geometric means of neighbouring nice values.
    let nice: Double = fraction < 1.414 ? 1 : fraction < 3.162 ? 2 : fraction < 7.071 ? 5 : 10
    return nice * magnitude
  }

  /// Major ticks at multiples of a nice step inside `lo…hi`, labelled with
  /// just enough decimals to tell them apart.
  /// - Precondition: lo < hi, both finite.
  public static func linear(lo: Double, hi: Double, target: Int = 5) -> [Tick] {
    precondition(lo < hi && lo.isFinite && hi.isFinite, "linear ticks need a finite range lo < hi")
    let step = niceStep(span: hi - lo, target: target)
    // Tolerances keep ticks that sit on the ends despite rounding.
    let first = Foundation.ceil(lo / step - 1e-9), last = Foundation.floor(hi / step + 1e-9)
    guard first <= last else { return [] }
    let decimals = max(0, -Int(Foundation.floor(Foundation.log10(step) + 1e-9)))
    let largest = max(abs(first * step), abs(last * step))
    let scientific = largest >= 1e6 || decimals > 5
    return stride(from: first, through: last, by: 1).map { k in
      let v = k * step
      let label = scientific ? scientificLabel(v) : fixedLabel(v, decimals: decimals)
      return Tick(value: v, label: label)
    }
  }

  /// Ticks for a log₁₀ axis over `lo…hi` (values, not exponents).
  ///
  /// Spans of a decade or more get a major tick at each power of ten
  /// (labelled `10ⁿ`; every k-th power when there are more than eight) and
  /// minor ticks at 2…9 × 10ⁿ when at most six decades are shown. Narrower
  /// spans add labelled ticks at 2 and 5 × 10ⁿ, and fall back to linear ticks
  /// when even those give fewer than two.
  /// - Precondition: 0 < lo < hi, both finite.
  public static func log10(lo: Double, hi: Double) -> [Tick] {
    precondition(lo > 0 && lo < hi && hi.isFinite, "log ticks need a finite range 0 < lo < hi")
    let eps = 1e-9
    let e0 = Int(Foundation.ceil(Foundation.log10(lo) - eps)), e1 = Int(Foundation.floor(Foundation.log10(hi) + eps))
    let decades = e1 - e0
    if decades >= 1 {
      let every = max(1, Int((Double(decades) / 8).rounded(.up)))
      var ticks: [Tick] = []
      for e in (e0 - 1)...e1 {
        let p = Foundation.pow(10, Double(e))
        if e >= e0, (e - e0) % every == 0 { ticks.append(Tick(value: p, label: powerOfTenLabel(e))) }
        if decades <= 6 {
          for m in 2...9 {
            let v = Double(m) * p
            if v >= lo * (1 - eps) && v <= hi * (1 + eps) { ticks.append(Tick(value: v, label: "", isMajor: false)) }
          }
        }
      }
      return ticks.sorted { $0.value < $1.value }
    }
    // Less than a decade: 1, 2, 5 × 10ⁿ.
    var ticks: [Tick] = []
    for e in (e0 - 1)...(e1 + 1) {
      for m in [1.0, 2, 5] {
        let v = m * Foundation.pow(10, Double(e))
        if v >= lo * (1 - eps) && v <= hi * (1 + eps) { ticks.append(Tick(value: v, label: formatNumber(v))) }
      }
    }
    return ticks.count >= 2 ? ticks : linear(lo: lo, hi: hi, target: 4)
  }

  /// `10ⁿ` with Unicode superscripts (so no markup is needed in the SVG).
  public static func powerOfTenLabel(_ exponent: Int) -> String {
    "10" + superscript(exponent)
  }

  /// A compact label for any value: up to 4 significant digits, switching to
  /// `m×10ⁿ` below 10⁻⁴ and from 10⁶ in magnitude.
  public static func formatNumber(_ v: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if a < 1e-4 || a >= 1e6 { return scientificLabel(v) }
    var s = String(format: "%.4g", v)
    if s.contains("e") { return scientificLabel(v) }
    if s.hasPrefix("-0"), Double(s) == 0 { s = "0" }
    return s
  }

  static func fixedLabel(_ v: Double, decimals: Int) -> String {
    let s = String(format: "%.\(decimals)f", v)
    // "-0.0" after rounding a tiny negative value reads as a bug.
    if s.hasPrefix("-"), let x = Double(s), x == 0 { return String(s.dropFirst()) }
    return s
  }

  static func scientificLabel(_ v: Double) -> String {
    if v == 0 { return "0" }
    var e = Int(Foundation.floor(Foundation.log10(abs(v))))
    var m = v / Foundation.pow(10, Double(e))
    var mText = String(format: "%.3g", m)
    if abs(Double(mText) ?? m) >= 10 { e += 1; m /= 10; mText = String(format: "%.3g", m) }
    if mText == "1" { return powerOfTenLabel(e) }
    if mText == "-1" { return "−" + powerOfTenLabel(e) }
    return mText + "×" + powerOfTenLabel(e)
  }

  static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(String(abs(n)).map { digits[Int(String($0))!] })
    return n < 0 ? "⁻" + body : body
  }
}
