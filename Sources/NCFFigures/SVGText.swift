/// Text helpers for writing SVG by hand: escaping and compact numbers.
enum SVGText {
  /// `s` with the five XML special characters replaced by entities, and
  /// control characters (not allowed in XML 1.0) replaced by spaces, so any
  /// label is safe in element content and in quoted attributes.
  static func escaped(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n", "\r": out.unicodeScalars.append(" ")
      default:
        // C0 controls, and the two non-characters XML forbids.
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
          out.unicodeScalars.append(" ")
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// Text safe inside an XML comment (which may not contain `--`).
  static func commentSafe(_ s: String) -> String {
    var t = escaped(s)
    while t.contains("--") { t = t.replacingOccurrences(of: "--", with: "- -") }
    return t
  }

  /// A pixel coordinate with at most two decimals and no trailing zeros
  /// ("12.5", "-3", "0.07"): a hundredth of a pixel is invisible, and short
  /// numbers keep large scatter plots small. Much faster than
  /// `String(format:)`, which matters at tens of thousands of points.
  static func number(_ v: Double) -> String {
    // Clamp: far-off points are clipped anyway, and this keeps Int conversion safe.
    let scaled = (Swift.min(Swift.max(v, -1e7), 1e7) * 100).rounded()
    let a = Int(abs(scaled))
    let whole = a / 100, frac = a % 100
    var s = scaled < 0 && a != 0 ? "-" : ""
    s += String(whole)
    if frac != 0 {
      s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac)
    }
    return s
  }
}

extension String {
  /// `replacingOccurrences` without Foundation.
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
