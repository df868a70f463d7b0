/// The stored form of a cost (model-file headers), unchanged since format
/// version 1: `{"quadratic":{}}` and `{"lp":{"_0":P}}` for ``Cost/pnormp(_:)``
/// (the NCF cost Σ|xₖ − yₖ|ᴾ/P was called lp then). The costs NCF cannot
/// train with never occur in model files; they are stored under their own keys.
extension Cost: Codable {
  private enum Key: String, CodingKey { case quadratic, sqeuclidean, euclidean, lpPower, lp }
  private enum Payload: String, CodingKey { case exponent = "_0" }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .quadratic: _ = container.nestedContainer(keyedBy: Payload.self, forKey: .quadratic)
    case .sqeuclidean: _ = container.nestedContainer(keyedBy: Payload.self, forKey: .sqeuclidean)
    case .euclidean: _ = container.nestedContainer(keyedBy: Payload.self, forKey: .euclidean)
    case .lp(let p):
      var payload = container.nestedContainer(keyedBy: Payload.self, forKey: .lpPower)
      try payload.encode(p, forKey: .exponent)
    case .pnormp(let p):
      var payload = container.nestedContainer(keyedBy: Payload.self, forKey: .lp)
      try payload.encode(p, forKey: .exponent)
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    guard container.allKeys.count == 1, let key = container.allKeys.first else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected one cost"))
    }
    let payload = try container.nestedContainer(keyedBy: Payload.self, forKey: key)
    switch key {
    case .quadratic: self = .quadratic
    case .sqeuclidean: self = .sqeuclidean
    case .euclidean: self = .euclidean
    case .lpPower:
      let p = try payload.decode(Double.self, forKey: .exponent)
      if let problem = Self.exponentProblem(p) {
        throw DecodingError.dataCorruptedError(forKey: .exponent, in: payload, debugDescription: problem)
      }
      self = .lp(p)
    case .lp:
      // Only NCF models store this key, so the exponent must be one NCF can train with.
      let p = try payload.decode(Double.self, forKey: .exponent)
      if let problem = Self.ncfExponentProblem(p) {
        throw DecodingError.dataCorruptedError(forKey: .exponent, in: payload, debugDescription: problem)
      }
      self = .pnormp(p)
    }
  }
}
