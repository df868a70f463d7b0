import NCFTensor

/// Finite-difference checks of tape gradients, in Double.
///
/// Central differences (f(x + h·e) − f(x − h·e)) / 2h have truncation error
/// O(h²); with h ≈ 1e-5 and smooth f in Double the agreement is typically
/// 1e-8 to 1e-10 relative, so a tolerance of 1e-6 separates a correct
/// pullback from a wrong one by orders of magnitude.
public enum GradientCheck {
  /// Outcome of a check.
  public struct Report: CustomStringConvertible {
    /// Largest |analytic − numeric| / max(1, |numeric|) over all checked entries.
    public var maxRelativeError: Double
    /// Where that largest error occurred: (input index, element index).
    public var worst: (input: Int, element: Int)
    /// Number of entries checked.
    public var checked: Int
    public var description: String {
      "max relative error \(maxRelativeError) at input \(worst.input), element \(worst.element) (\(checked) entries)"
    }
  }

  /// Compares the tape gradient of a scalar function with central differences
  /// for every element of every input.
  /// - Parameters:
  ///   - inputs: the point at which to differentiate.
  ///   - step: the finite-difference step h.
  ///   - function: builds the 1×1 output from the input variables on a fresh tape.
  /// - Complexity: 2·(total input size) + 1 evaluations of `function`.
  public static func check(
    at inputs: [Tensor<Double>], step: Double = 1e-5,
    _ function: (Tape<Double>, [Variable<Double>]) -> Variable<Double>
  ) -> Report {
    let tape = Tape<Double>()
    let vars = inputs.map { tape.variable($0) }
    let analytic = tape.gradients(of: function(tape, vars), withRespectTo: vars)
    func evaluate(_ xs: [Tensor<Double>]) -> Double {
      let t = Tape<Double>()
      return function(t, xs.map { t.constant($0) }).value.scalar
    }
    var report = Report(maxRelativeError: 0, worst: (0, 0), checked: 0)
    for (k, x) in inputs.enumerated() {
      for e in 0..<x.count {
        var plus = inputs, minus = inputs
        plus[k].scalars[e] += step
        minus[k].scalars[e] -= step
        let numeric = (evaluate(plus) - evaluate(minus)) / (2 * step)
        let err = abs(analytic[k].scalars[e] - numeric) / max(1, abs(numeric))
        if err > report.maxRelativeError || err.isNaN {
          report.maxRelativeError = err.isNaN ? .infinity : err
          report.worst = (k, e)
        }
        report.checked += 1
      }
    }
    return report
  }
}
