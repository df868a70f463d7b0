import NCFNetworks

// The header checks of ModelFile.decode. A model file's checksum only shows
// that the bytes are those written; the header may still describe a network
// that cannot exist (no hidden layers, β = 0), dimensions whose products
// overflow, or values no model can be evaluated with. Each check returns the
// problem as a phrase, and runs before anything is allocated or built.

extension ModelFile {
  /// What the weights section depends on: the weight type, the architecture,
  /// and the parameter names and shapes it implies (all counts overflow-checked).
  static func structureProblem(_ header: Header) -> String? {
    guard header.scalarType == "float32" else { return "unsupported weight type \(header.scalarType)" }
    if let problem = header.network.validationError { return "invalid architecture: \(problem)" }
    guard let expected = header.network.checkedParameterShapes?.shapes else {
      return "invalid architecture: the network is too large"
    }
    let declared = header.parameters
    for (k, want) in expected.enumerated() {
      guard k < declared.count else { return "the header lacks parameter \(want.name) (and any after it)" }
      let got = declared[k]
      guard got.name == want.name else {
        return "the header lists parameter '\(got.name)' where the architecture has \(want.name)"
      }
      guard got.rows == want.rows, got.columns == want.columns else {
        return "parameter \(want.name) is declared \(got.rows)×\(got.columns), the architecture needs \(want.rows)×\(want.columns)"
      }
    }
    if declared.count > expected.count { return "the header lists \(declared.count - expected.count) parameters the architecture does not have" }
    return nil
  }

  /// The values every map needs finite and in range: normalisation, terminal time, cost.
  static func valueProblem(_ header: Header) -> String? {
    let n = header.normalization, d = header.network.dimension
    guard n.shift.count == d else { return "the normalisation shift has \(n.shift.count) values for a \(d)-D model" }
    guard n.shift.allSatisfy(\.isFinite) else { return "the normalisation shift holds NaN or infinity" }
    // 1/scale is applied to every point: a subnormal scale would overflow it.
    guard n.scale > 0, n.scale.isFinite, (1 / n.scale).isFinite else {
      return "the normalisation scale \(n.scale) is not a finite positive number"
    }
    guard header.terminalTime > 0, header.terminalTime.isFinite else {
      return "the terminal time \(header.terminalTime) is not a finite positive number"
    }
    // NCF saves only costs it trains with; another (a crafted `euclidean`) has no Hamiltonian to build the model with.
    return header.cost.ncfRefusal.map { "the cost \(header.cost.name) is not one NCF trains with: \($0)" }
  }

  /// A header that does not decode, in one line: the field and the reason
  /// for a value the types refuse (a cost exponent), else the decoder's text.
  static func unreadableHeader(_ error: any Error) -> String {
    if case DecodingError.dataCorrupted(let context) = error, !context.codingPath.isEmpty {
      let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
      return "invalid header field \(field): \(context.debugDescription)"
    }
    return "unreadable header (\(error))"
  }
}
