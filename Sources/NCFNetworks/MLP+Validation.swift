import NCFTensor

// Checks for architectures that did not come through the initialisers: a
// decoded value (a model file header) may hold anything the initialisers'
// preconditions forbid, and must be refused with a message, not a trap.

extension Activation {
  /// Why this activation cannot be evaluated, or nil: softplus needs a finite
  /// β > 0 that Float can hold (networks run in Float).
  public var validationError: String? {
    guard case .softplus(let beta) = self else { return nil }
    guard beta > 0, beta <= Double(Float.greatestFiniteMagnitude) else {
      return "softplus β = \(beta) is not a finite positive number"
    }
    return nil
  }
}

extension MLP {
  /// Why this architecture cannot be built or evaluated, or nil: no input,
  /// no hidden layers, a width below 1, an invalid activation, or a
  /// parameter count that overflows `Int`.
  public var validationError: String? {
    if inputDimension < 1 { return "the network's input dimension is \(inputDimension), expected at least 1" }
    if hiddenWidths.isEmpty { return "the network has no hidden layers" }
    if let l = hiddenWidths.firstIndex(where: { $0 < 1 }) {
      return "hidden layer \(l + 1) has width \(hiddenWidths[l]), expected at least 1"
    }
    if let problem = activation.validationError { return problem }
    if checkedParameterShapes == nil { return "the network is too large (its parameter count overflows)" }
    return nil
  }

  /// Every parameter's name and shape in order (as ``parameterNames``),
  /// with the total scalar count; nil when there is no hidden layer, a
  /// width is negative, or a product or the sum overflows `Int`.
  /// - Complexity: O(depth).
  public var checkedParameterShapes: (shapes: [(name: String, rows: Int, columns: Int)], scalars: Int)? {
    guard depth >= 1 else { return nil }
    var shapes: [(name: String, rows: Int, columns: Int)] = []
    for l in 1...depth {
      shapes.append(("layer\(l).weight", width(l - 1), width(l)))
      shapes.append(("layer\(l).bias", 1, width(l)))
    }
    shapes.append(("output.weight", width(depth), 1))
    shapes.append(("output.bias", 1, 1))
    guard let total = Self.checkedScalarCount(shapes) else { return nil }
    return (shapes, total)
  }

  /// Σ rows·columns over `shapes`, or nil when a dimension is negative or a
  /// product or the sum overflows `Int`.
  public static func checkedScalarCount(_ shapes: [(name: String, rows: Int, columns: Int)]) -> Int? {
    var total = 0
    for s in shapes {
      guard s.rows >= 0, s.columns >= 0 else { return nil }
      let (n, o1) = s.rows.multipliedReportingOverflow(by: s.columns)
      let (t, o2) = total.addingReportingOverflow(n)
      if o1 || o2 { return nil }
      total = t
    }
    return total
  }
}
