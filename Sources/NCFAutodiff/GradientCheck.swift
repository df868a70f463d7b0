import NCFTensor

/// Finite-difference checks of gradients, in Double.
///
/// Numeric derivatives use the fourth-order central stencil
/// (−f(x + 2h) + 8f(x + h) − 8f(x − h) + f(x − 2h)) / 12h with h = 10⁻³:
/// truncation error about h⁴|f⁽⁵⁾|/30 ≈ 3·10⁻¹⁴|f⁽⁵⁾| and rounding error
/// about 1.5·εF/h ≈ 10⁻¹³·F·(relative error of one evaluation / ε), where
/// F = max(1, |f(x)|).
///
/// The error of an entry is relative, with an absolute floor:
/// |analytic − numeric| / max(|numeric|, floor), floor = 10⁻⁴·F. Entries
/// larger than the floor are compared relatively, so a 1 % error shows as
/// 10⁻² whatever their size; smaller ones are held to an absolute error of
/// tolerance·floor (10⁻¹⁰·F for the usual tolerance of 10⁻⁶), still about a
/// hundred times the finite-difference noise above. The older metric,
/// |a − n| / max(1, |n|), was an absolute error for entries below 1 and let
/// a 1 % error on entries of size 10⁻⁴ pass.
public enum GradientCheck {
  /// Outcome of a check.
  public struct Report: CustomStringConvertible {
    /// Largest |analytic − numeric| / max(|numeric|, absoluteFloor) over all checked entries.
    public var maxRelativeError: Double
    /// Where that largest error occurred: (input index, element index).
    public var worst: (input: Int, element: Int)
    /// Number of entries checked.
    public var checked: Int
    /// The floor of the denominator (10⁻⁴·max(1, |f|) unless given).
    public var absoluteFloor: Double
    public var description: String {
      "max relative error \(maxRelativeError) at input \(worst.input), element \(worst.element) (\(checked) entries, floor \(absoluteFloor))"
    }
  }

  /// The default finite-difference step for the fourth-order stencil.
  public static let defaultStep = 1e-3

  /// Compares the tape gradient of a scalar function with finite differences
  /// for every element of every input.
  /// - Parameters:
  ///   - inputs: the point at which to differentiate.
  ///   - step: the finite-difference step h.
  ///   - absoluteFloor: the floor of the error's denominator; nil for 10⁻⁴·max(1, |f(inputs)|).
  ///   - function: builds the 1×1 output from the input variables on a fresh tape.
  /// - Complexity: 4·(total input size) + 1 evaluations of `function`.
  public static func check(
    at inputs: [Tensor<Double>], step: Double = defaultStep, absoluteFloor: Double? = nil,
    _ function: (Tape<Double>, [Variable<Double>]) -> Variable<Double>
  ) -> Report {
    let tape = Tape<Double>()
    let vars = inputs.map { tape.variable($0) }
    let analytic = tape.gradients(of: function(tape, vars), withRespectTo: vars)
    return compare(analytic, at: inputs, step: step, absoluteFloor: absoluteFloor) { xs in
      let t = Tape<Double>()
      return function(t, xs.map { t.constant($0) }).value.scalar
    }
  }

  /// Compares a gradient computed any way (`analytic`, one tensor per input)
  /// with finite differences of `function` at `inputs`: the check for
  /// hand-written gradients that are values, not tape pullbacks (such as
  /// ∇ₓu from a fused network op).
  /// - Complexity: 4·(total input size) + 1 evaluations of `function`.
  public static func compare(
    _ analytic: [Tensor<Double>], at inputs: [Tensor<Double>], step: Double = defaultStep, absoluteFloor: Double? = nil,
    _ function: ([Tensor<Double>]) -> Double
  ) -> Report {
    precondition(analytic.count == inputs.count && zip(analytic, inputs).allSatisfy { $0.hasShape(of: $1) },
                 "one analytic gradient of the input's shape per input")
    let floor = absoluteFloor ?? 1e-4 * max(1, abs(function(inputs)))
    var report = Report(maxRelativeError: 0, worst: (0, 0), checked: 0, absoluteFloor: floor)
    for (k, x) in inputs.enumerated() {
      for e in 0..<x.count {
        func f(_ offset: Double) -> Double {
          var moved = inputs
          moved[k].scalars[e] += offset
          return function(moved)
        }
        let numeric = (8 * (f(step) - f(-step)) - (f(2 * step) - f(-2 * step))) / (12 * step)
        let err = abs(analytic[k].scalars[e] - numeric) / max(abs(numeric), floor)
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
