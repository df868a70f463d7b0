import Foundation

/// The package's one JSON convention, for every JSON it writes or reads
/// (model-file headers, reports, settings, benchmark tables): keys sorted,
/// so that the same value always gives the same bytes, and NaN/±∞ written
/// as the strings "nan", "inf" and "-inf" (plain JSON has no spelling for them).
public enum JSONFormat {
  /// How encoded JSON is laid out.
  public enum Layout: Sendable {
    /// One line, sorted keys (model-file headers, intermediate documents).
    case compact
    /// Indented, sorted keys, `/` not escaped (files and output for people).
    case pretty
  }

  /// An encoder with the package's conventions.
  public static func encoder(_ layout: Layout = .compact) -> JSONEncoder {
    let encoder = JSONEncoder()
    switch layout {
    case .compact: encoder.outputFormatting = [.sortedKeys]
    case .pretty: encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    }
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  /// A decoder that reads what ``encoder(_:)`` writes.
  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }

  /// `value` as pretty-printed JSON text (sorted keys, NaN/∞ as strings).
  public static func prettyString<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encoder(.pretty).encode(value), as: UTF8.self)
  }
}
