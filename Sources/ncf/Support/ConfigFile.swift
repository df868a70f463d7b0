import Foundation
import NCFNetworks
import NCFFlows

/// Training settings from a JSON file: the keys of
/// ``NCFTrainingConfiguration``'s Codable form, any subset of them. Missing
/// keys keep their defaults; nested objects (`collocation`) may be partial
/// too. For convenience `activation` may also be written as a string
/// (`"tanh"`, `"softplus:4"`, `"silu"`) instead of its Codable object form.
///
/// Implementation: the defaults are encoded to a JSON object, the file's
/// object is merged into it key by key, and the result is decoded. Unknown
/// keys are rejected (a typo should not silently keep a default).
enum ConfigFile {
  /// Reads `path` and merges it into `base`.
  /// - Throws: ``CLIError`` naming the file and the problem.
  static func load(_ path: String, over base: NCFTrainingConfiguration = .init()) throws -> NCFTrainingConfiguration {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError("\(path): no such file")
    }
    if isDirectory.boolValue { throw CLIError("\(path): is a directory, expected a JSON file") }
    if access(path, R_OK) != 0 { throw CLIError("\(path): cannot read file (\(String(cString: strerror(errno))))") }
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read file") }
    return try merge(data, over: base, path: path)
  }

  /// Merges the JSON object in `data` into `base`; `path` labels messages.
  static func merge(_ data: Data, over base: NCFTrainingConfiguration, path: String) throws -> NCFTrainingConfiguration {
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: data, options: [])
    } catch {
      throw CLIError("\(path): not valid JSON (\(jsonErrorDetail(error)))")
    }
    guard let overrides = parsed as? [String: Any] else {
      throw CLIError("\(path): expected a JSON object of settings, e.g. {\"iterations\": 5000, \"width\": 128}")
    }
    guard var merged = try JSONSerialization.jsonObject(with: encode(base)) as? [String: Any] else {
      throw CLIError("internal error: the default settings do not encode to a JSON object")
    }
    try mergeObject(overrides, into: &merged, prefix: "", path: path)

    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let result: NCFTrainingConfiguration
    do {
      let bytes = try JSONSerialization.data(withJSONObject: merged)
      result = try decoder.decode(NCFTrainingConfiguration.self, from: bytes)
    } catch let error as DecodingError {
      throw CLIError("\(path): \(describe(error))")
    }
    // Unknown keys: a key the user set to a non-null value must survive a
    // decode/encode round trip (this also accepts optional settings whose
    // default is nil, which the default encoding omits).
    if let roundTrip = try JSONSerialization.jsonObject(with: encode(result)) as? [String: Any] {
      try checkKnown(overrides, against: roundTrip, prefix: "", path: path)
    }
    return result
  }

  /// The settings as pretty-printed JSON (sorted keys): a valid `--config` file.
  static func json(_ configuration: NCFTrainingConfiguration) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return (try? encoder.encode(configuration)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
  }

  private static func encode(_ configuration: NCFTrainingConfiguration) throws -> Data {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(configuration)
  }

  private static func mergeObject(_ overrides: [String: Any], into base: inout [String: Any], prefix: String, path: String) throws {
    for (key, value) in overrides {
      let name = prefix + key
      var value = value
      if name == "activation", let text = value as? String {
        guard let activation = Activation(text) else {
          throw CLIError("\(path): setting 'activation' is '\(text)'; use tanh, softplus, softplus:β or silu")
        }
        value = try JSONSerialization.jsonObject(with: JSONEncoder().encode(activation))
      }
      if let sub = value as? [String: Any], var existing = base[key] as? [String: Any], !isEnumObject(existing) {
        try mergeObject(sub, into: &existing, prefix: name + ".", path: path)
        base[key] = existing
      } else {
        base[key] = value
      }
    }
  }

  /// Swift encodes an enum with associated values as a one-key object whose
  /// value is an object (`{"softplus": {"beta": 1}}`): such values are
  /// replaced as a whole, never merged.
  private static func isEnumObject(_ object: [String: Any]) -> Bool {
    object.count == 1 && object.values.first is [String: Any]
  }

  private static func checkKnown(_ overrides: [String: Any], against encoded: [String: Any], prefix: String, path: String) throws {
    for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
      if value is NSNull { continue }
      guard let known = encoded[key] else {
        let names = encoded.keys.sorted().joined(separator: ", ")
        throw CLIError("\(path): unknown setting '\(prefix + key)'; known settings\(prefix.isEmpty ? "" : " in '\(prefix.dropLast())'"): \(names)")
      }
      if let sub = value as? [String: Any], let knownSub = known as? [String: Any], !isEnumObject(knownSub) {
        try checkKnown(sub, against: knownSub, prefix: prefix + key + ".", path: path)
      }
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func keyPath(_ path: [any CodingKey]) -> String {
      path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(let type, let context):
      return "setting '\(keyPath(context.codingPath))' has the wrong type (expected \(typeName(type)))"
    case .valueNotFound(let type, let context):
      return "setting '\(keyPath(context.codingPath))' is null (expected \(typeName(type)))"
    case .keyNotFound(let key, let context):
      return "setting '\(keyPath(context.codingPath + [key]))' is missing"
    case .dataCorrupted(let context):
      let detail = context.debugDescription.split(separator: "\n").first.map(String.init) ?? ""
      return "invalid value for '\(keyPath(context.codingPath))' (\(detail))"
    @unknown default:
      return "invalid settings (\(error))"
    }
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is UInt64.Type: return "an integer"
    case is Double.Type: return "a number"
    case is Bool.Type: return "true or false"
    case is String.Type: return "a string"
    default: return "\(type)".hasPrefix("Dictionary") ? "an object" : "\(type)"
    }
  }

  private static func jsonErrorDetail(_ error: Error) -> String {
    let ns = error as NSError
    let text = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    return String(text.map { $0.isNewline ? " " : $0 })
  }
}
