import NCFNetworks

extension PotentialNetwork {
  /// Why this architecture cannot be built or evaluated, or nil (see
  /// ``MLP/validationError``); the network's input is [x; t], so it needs
  /// at least 2 inputs (a space dimension d ≥ 1).
  public var validationError: String? {
    if mlp.inputDimension < 2 {
      return "the network's input dimension is \(mlp.inputDimension); it must be d + 1 for a space dimension d ≥ 1"
    }
    if let problem = mlp.validationError { return problem }
    if checkedParameterShapes == nil { return "the network is too large (its parameter count overflows)" }
    return nil
  }

  /// Every parameter's name and shape in order (as ``parameterNames``),
  /// with the total scalar count; nil when the MLP's are not defined or a
  /// count overflows `Int`.
  /// - Complexity: O(depth).
  public var checkedParameterShapes: (shapes: [(name: String, rows: Int, columns: Int)], scalars: Int)? {
    guard var shapes = mlp.checkedParameterShapes?.shapes else { return nil }
    if quadraticHead {
      let d = dimension
      guard d >= 1 else { return nil }
      for name in Self.headParameterNames {
        shapes.append(name == "head.c" ? (name, 1, 1) : (name, d, name.hasPrefix("head.A") ? d : 1))
      }
    }
    guard let total = MLP.checkedScalarCount(shapes) else { return nil }
    return (shapes, total)
  }
}
