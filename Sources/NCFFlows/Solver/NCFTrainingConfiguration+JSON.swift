import Foundation
import NCFFileSystem
import NCFNetworks

extension NCFTrainingConfiguration {
  /// The settings as a JSON object: their Codable form (as `ncf train
  /// --dry-run` prints them, and model files store them).
  public func jsonObject() throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: JSONFormat.encoder().encode(self)) as? [String: Any] else {
      throw EncodingError.invalidValue(self, .init(codingPath: [], debugDescription: "settings do not encode to an object"))
    }
    return object
  }

  /// Merges partial settings into a complete JSON object, the one rule for
  /// every partial settings document (config files, model files written
  /// before a setting existed): each key of `overrides` replaces the value
  /// in `base`, nested objects (`collocation`) are merged key by key, and an
  /// enum with associated values, which Swift encodes as a one-key object
  /// holding an object (`{"softplus": {"beta": 4}}`), is replaced whole.
  public static func mergeJSON(_ overrides: [String: Any], into base: inout [String: Any]) {
    for (key, value) in overrides {
      if let sub = value as? [String: Any], var existing = base[key] as? [String: Any], !isEnumObject(existing) {
        mergeJSON(sub, into: &existing)
        base[key] = existing
      } else {
        base[key] = value
      }
    }
  }

  /// Whether a JSON object is the encoding of an enum with associated values.
  public static func isEnumObject(_ object: [String: Any]) -> Bool {
    object.count == 1 && object.values.first is [String: Any]
  }

  /// Settings from a JSON file: the keys of the Codable form (as `ncf train
  /// --dry-run` prints them), any subset of them, over `base`. Nested
  /// objects (`collocation`) may be partial too, and `activation` may be
  /// written as a string (`"tanh"`, `"softplus:4"`, `"silu"`). Unknown keys
  /// are rejected: a typo must not silently keep a default.
  /// - Throws: ``SettingsFileError`` naming the file and the problem.
  public init(jsonFile path: String, over base: NCFTrainingConfiguration = .init()) throws {
    let data: Data
    do throws(FileRead.Failure) {
      data = try FileRead.contents(of: path)
    } catch {
      switch error {
      case .notFound: throw SettingsFileError(path: path, reason: "no such file")
      case .isDirectory: throw SettingsFileError(path: path, reason: "is a directory, expected a JSON file")
      case .unreadable(let reason): throw SettingsFileError(path: path, reason: "cannot read file (\(reason))")
      }
    }
    self = try Self.merging(data, over: base, path: path)
  }

  /// Settings from the JSON object in `data` over `base`; `path` labels messages.
  /// - Throws: ``SettingsFileError`` naming the problem (invalid JSON, an
  ///   unknown key, a value of the wrong type).
  public static func merging(_ data: Data, over base: NCFTrainingConfiguration, path: String) throws -> NCFTrainingConfiguration {
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: data, options: [])
    } catch {
      throw SettingsFileError(path: path, reason: "not valid JSON (\(jsonErrorDetail(error)))")
    }
    guard let overrides = parsed as? [String: Any] else {
      throw SettingsFileError(path: path, reason: "expected a JSON object of settings, e.g. {\"iterations\": 5000, \"width\": 128}")
    }
    var overridden = overrides
    if let text = overrides["activation"] as? String {
      guard let activation = Activation(text) else {
        throw SettingsFileError(path: path, reason: "setting 'activation' is '\(text)'; use tanh, softplus, softplus:β or silu")
      }
      overridden["activation"] = try JSONSerialization.jsonObject(with: JSONFormat.encoder().encode(activation))
    }
    var merged = try base.jsonObject()
    NCFTrainingConfiguration.mergeJSON(overridden, into: &merged)
    let result: NCFTrainingConfiguration
    do {
      let bytes = try JSONSerialization.data(withJSONObject: merged)
      result = try JSONFormat.decoder().decode(NCFTrainingConfiguration.self, from: bytes)
    } catch let error as DecodingError {
      throw SettingsFileError(path: path, reason: "\(describe(error))")
    }
    // Unknown keys: a key the user set to a non-null value must survive a
    // decode/encode round trip (this also accepts optional settings whose
    // default is nil, which the default encoding omits).
    try checkKnown(overrides, against: try result.jsonObject(), prefix: "", path: path)
    return result
  }

  private static func checkKnown(
    _ overrides: [String: Any], against encoded: [String: Any], prefix: String, path: String
  ) throws {
    for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
      if value is NSNull { continue }
      guard let known = encoded[key] else {
        let names = encoded.keys.sorted().joined(separator: ", ")
        throw SettingsFileError(path: path, reason: "unknown setting '\(prefix + key)'; known settings\(prefix.isEmpty ? "" : " in '\(prefix.dropLast())'"): \(names)")
      }
      if let sub = value as? [String: Any], let knownSub = known as? [String: Any],
         !NCFTrainingConfiguration.isEnumObject(knownSub) {
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

/// A settings file that could not be used.
public struct SettingsFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "\(path): \(reason)" }
}
