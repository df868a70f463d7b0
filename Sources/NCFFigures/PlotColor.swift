/// An sRGB colour, written to SVG as `#rrggbb`.
public struct PlotColor: Equatable, Hashable, Sendable, CustomStringConvertible {
  /// Channels in 0…255.
  public let red, green, blue: UInt8

  /// A colour from 8-bit channels.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// A colour from a hex string `#rrggbb` or `rrggbb`; nil when malformed.
  public init?(hex: String) {
    let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
    guard digits.count == 6, let v = UInt32(digits, radix: 16) else { return nil }
    self.init(red: UInt8(v >> 16), green: UInt8((v >> 8) & 0xFF), blue: UInt8(v & 0xFF))
  }

  /// `#rrggbb`.
  public var hex: String {
    let digits = Array("0123456789abcdef")
    return "#" + [red, green, blue].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
  }

  public var description: String { hex }

  // The Okabe–Ito palette (Okabe & Ito, 2008): eight colours that stay
  // distinguishable under the common forms of colour blindness.
  public static let black = PlotColor(red: 0, green: 0, blue: 0)
  public static let orange = PlotColor(red: 230, green: 159, blue: 0)
  public static let skyBlue = PlotColor(red: 86, green: 180, blue: 233)
  public static let bluishGreen = PlotColor(red: 0, green: 158, blue: 115)
  public static let yellow = PlotColor(red: 240, green: 228, blue: 66)
  public static let blue = PlotColor(red: 0, green: 114, blue: 178)
  public static let vermillion = PlotColor(red: 213, green: 94, blue: 0)
  public static let reddishPurple = PlotColor(red: 204, green: 121, blue: 167)
  /// A neutral grey for context (transport paths, reference lines).
  public static let gray = PlotColor(red: 120, green: 120, blue: 120)

  /// The default series colours, in order. Okabe–Ito with the high-contrast
  /// colours first; yellow, hard to see on white, comes last.
  public static let palette: [PlotColor] = [
    .blue, .vermillion, .bluishGreen, .reddishPurple, .orange, .skyBlue, .black, .yellow,
  ]
}
