import Testing
import NCFTensor
import NCFAutodiff

/// The checker itself must detect a wrong pullback.
@Suite struct GradientCheckerSelfTest {
  @Test func detectsAWrongPullback() {
    let report = GradientCheck.check(at: [Tensor<Double>([[0.3, -1.2]])]) { tape, v in
      // y = x² but with a deliberately wrong derivative 3x.
      let y = v[0].elementwise("bad_square", value: v[0].value.squared()) { x, _ in x * 3 }
      return y.sum()
    }
    #expect(report.maxRelativeError > 0.1)
  }

  /// A 1 % error on gradient entries of size 10⁻⁵ must show: an error measured
  /// against max(1, |numeric|) would read 10⁻⁷ and pass any 10⁻⁶ tolerance.
  @Test func detectsAOnePercentErrorOnSmallEntries() {
    let report = GradientCheck.check(at: [Tensor<Double>([[0.3, -0.7, 0.5]])]) { tape, v in
      // y = 10⁻⁵·x²/2 with the derivative 1.01·10⁻⁵·x.
      let y = v[0].elementwise("bad_small", value: v[0].value.squared() * 0.5e-5) { x, _ in x * 1.01e-5 }
      return y.sum()
    }
    #expect(report.maxRelativeError > 1e-4, "\(report)")
  }

  /// The correct derivative of the same small function passes a 10⁻⁶ tolerance.
  @Test func acceptsACorrectPullbackOnSmallEntries() {
    let report = GradientCheck.check(at: [Tensor<Double>([[0.3, -0.7, 0.5]])]) { tape, v in
      v[0].elementwise("small", value: v[0].value.squared() * 0.5e-5) { x, _ in x * 1e-5 }.sum()
    }
    #expect(report.maxRelativeError < 1e-6, "\(report)")
  }
}
