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
}
