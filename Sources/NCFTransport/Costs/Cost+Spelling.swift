/// A cost spelling that ``Cost/init(parsing:)`` does not accept, with the
/// reason and what to write instead.
public struct CostSpellingError: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String
}

extension Cost {
  /// What ``init(parsing:)`` accepts, for messages and help texts.
  public static let spellings =
    "quadratic (½‖x − y‖²), sqeuclidean (‖x − y‖², no ½), euclidean (‖x − y‖), "
    + "lp:P (Σₖ|xₖ − yₖ|ᴾ, P ≥ 1) or pnormp:P (Σₖ|xₖ − yₖ|ᴾ/P, P ≥ 1)"

  /// Reads a spelling (case-insensitive).
  ///
  /// Old spellings whose meaning is unchanged are accepted and come with a
  /// deprecation note (`sq-euclidean`, `l2sq`); `l2`, which meant ½‖x − y‖²
  /// in `ncf train` and ‖x − y‖ in `ncf ot`, is refused with both
  /// replacements. `pnormp:2` reads as `quadratic`.
  /// - Returns: the cost and, for an old spelling, a one-line deprecation note.
  /// - Throws: ``CostSpellingError`` naming the problem and the valid spellings.
  public static func parse(_ text: String) throws(CostSpellingError) -> (cost: Cost, deprecation: String?) {
    let t = text.lowercased()
    switch t {
    case "quadratic": return (.quadratic, nil)
    case "sqeuclidean": return (.sqeuclidean, nil)
    case "euclidean": return (.euclidean, nil)
    case "sq-euclidean", "l2sq":
      return (.sqeuclidean, "the cost spelling '\(text)' is deprecated; write sqeuclidean (‖x − y‖², no ½)")
    case "l2":
      throw CostSpellingError(description:
        "the cost 'l2' is no longer accepted: it meant ½‖x − y‖² in ncf train and ‖x − y‖ in ncf ot; "
        + "write quadratic (½‖x − y‖²) or euclidean (‖x − y‖)")
    default: break
    }
    let parts = t.split(separator: ":", maxSplits: 1)
    if parts.count == 2, parts[0] == "lp" || parts[0] == "pnormp" {
      guard let p = Double(parts[1]), exponentProblem(p) == nil else {
        throw CostSpellingError(description: "unknown cost '\(text)': the exponent P of \(parts[0]):P must be a number ≥ 1")
      }
      if parts[0] == "lp" { return (.lp(p), nil) }
      return (p == 2 ? .quadratic : .pnormp(p), nil)
    }
    throw CostSpellingError(description: "unknown cost '\(text)'; use \(spellings)")
  }

  /// Why `P` cannot be the exponent of `lp:P` or `pnormp:P`, or nil: it must
  /// be a finite number ≥ 1 (what the discrete solvers take; NCF needs more,
  /// see ``ncfExponentProblem(_:)``).
  public static func exponentProblem(_ p: Double) -> String? {
    p.isFinite && p >= 1 ? nil : "the exponent P = \(p) must be a finite number ≥ 1"
  }

  /// The cost a spelling names, or nil when ``parse(_:)`` refuses it.
  public init?(_ text: String) {
    guard let parsed = try? Self.parse(text) else { return nil }
    self = parsed.cost
  }
}
