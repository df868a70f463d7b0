import Testing
import NCFFigures

@Suite struct TicksTests {
  @Test func niceSteps() {
    #expect(Ticks.niceStep(span: 1, target: 5) == 0.2)
    #expect(Ticks.niceStep(span: 10, target: 5) == 2)
    #expect(Ticks.niceStep(span: 7, target: 5) == 1)
    #expect(Ticks.niceStep(span: 3000, target: 6) == 500)
    #expect(Ticks.niceStep(span: 0.03, target: 3) == 0.01)
  }

  @Test func linearTicksAreNiceAndInsideTheRange() {
    let ticks = Ticks.linear(lo: -0.13, hi: 1.07, target: 5)
    #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(ticks.allSatisfy { $0.isMajor && $0.value >= -0.13 && $0.value <= 1.07 })
    #expect(Ticks.linear(lo: -2.3, hi: 2.3, target: 4).map(\.label) == ["-2", "-1", "0", "1", "2"])
    // No "-0.0" from rounding.
    #expect(!Ticks.linear(lo: -1e-17, hi: 1, target: 5).contains { $0.label.hasPrefix("-") })
    // Large magnitudes switch to m×10ⁿ.
    #expect(Ticks.linear(lo: 0, hi: 3e6, target: 3).map(\.label) == ["0", "10⁶", "2×10⁶", "3×10⁶"])
  }

  @Test func logTicksAtDecades() {
    let ticks = Ticks.log10(lo: 1e-3, hi: 10)
    let major = ticks.filter(\.isMajor)
    #expect(major.map(\.label) == ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"])
    #expect(zip(major.map(\.value), [1e-3, 1e-2, 1e-1, 1, 10]).allSatisfy { abs($0 / $1 - 1) < 1e-12 })
    // Minor ticks at 2…9 × 10ⁿ inside the range, unlabelled.
    let minor = ticks.filter { !$0.isMajor }
    #expect(minor.count == 4 * 8 && minor.allSatisfy { $0.label.isEmpty })
  }

  @Test func logTicksThinOutOverManyDecades() {
    let major = Ticks.log10(lo: 1e-12, hi: 1e4).filter(\.isMajor)
    #expect(major.count <= 9 && major.count >= 5)
    #expect(major.first!.label == "10⁻¹²")
    #expect(Ticks.log10(lo: 1e-12, hi: 1e4).allSatisfy { $0.isMajor })  // no minor ticks when crowded
  }

  @Test func logTicksWithinOneDecade() {
    #expect(Ticks.log10(lo: 0.15, hi: 0.9).map(\.label) == ["0.2", "0.5"])
    let narrow = Ticks.log10(lo: 3.1, hi: 3.9)  // no 1/2/5 multiple inside: linear fallback
    #expect(narrow.count >= 2 && narrow.allSatisfy { $0.value >= 3.1 && $0.value <= 3.9 })
  }

  @Test func numberLabels() {
    #expect(Ticks.formatNumber(0.002) == "0.002")
    #expect(Ticks.formatNumber(1234.4) == "1234")
    #expect(Ticks.formatNumber(2e-5) == "2×10⁻⁵")
    #expect(Ticks.formatNumber(-1e7) == "−10⁷")
    #expect(Ticks.powerOfTenLabel(-12) == "10⁻¹²")
  }
}
