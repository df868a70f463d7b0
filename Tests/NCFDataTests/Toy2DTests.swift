import Foundation
import Testing
import NCFData
import NCFTensor

@Suite struct Toy2DTests {
  @Test(arguments: Toy2D.allCases)
  func sameSeedSameSamplesAndShape(dataset: Toy2D) {
    let a = dataset.sample(n: 500, seed: 7)
    #expect(a.rows == 500 && a.columns == 2)
    #expect(a == dataset.sample(n: 500, seed: 7))
    #expect(a != dataset.sample(n: 500, seed: 8))
    #expect(a.isFinite)
    // Points are drawn one at a time, so a shorter sample is a prefix.
    #expect(dataset.sample(n: 100, seed: 7) == a.rows(0..<100))
    #expect(dataset.sample(n: 0, seed: 7).rows == 0)
  }

  @Test(arguments: Toy2D.allCases)
  func roughlyUnitScale(dataset: Toy2D) {
    let x = dataset.sample(n: 4000, seed: 1)
    let radii = (0..<x.rows).map { (x[$0, 0] * x[$0, 0] + x[$0, 1] * x[$0, 1]).squareRoot() }
    let meanX = (0..<x.rows).map { x[$0, 0] }.reduce(0, +) / Double(x.rows)
    let meanY = (0..<x.rows).map { x[$0, 1] }.reduce(0, +) / Double(x.rows)
    let rms = (radii.map { $0 * $0 }.reduce(0, +) / Double(x.rows)).squareRoot()
    #expect(abs(meanX) < 0.2 && abs(meanY) < 0.2, "\(dataset) mean (\(meanX), \(meanY))")
    #expect(rms > 0.6 && rms < 2.2, "\(dataset) rms radius \(rms)")
    // The Gaussian's tail is unbounded; everything else stays near radius 2.
    if dataset != .gaussian { #expect(radii.max()! < 3.2, "\(dataset) max radius \(radii.max()!)") }
  }

  @Test func shapeSpecificChecks() {
    let eight = Toy2D.eightGaussians.labeledSample(n: 2000, seed: 2)
    #expect(Set(eight.labels) == Set(0..<8))
    for i in 0..<eight.points.rows {
      let angle = Double(eight.labels[i]) * Double.pi / 4
      let dx = eight.points[i, 0] - 2 * cos(angle), dy = eight.points[i, 1] - 2 * sin(angle)
      #expect((dx * dx + dy * dy).squareRoot() < 0.6)  // 6 standard deviations
    }
    let circles = Toy2D.circles.labeledSample(n: 1000, seed: 3)
    for i in 0..<circles.points.rows {
      let r = (circles.points[i, 0] * circles.points[i, 0] + circles.points[i, 1] * circles.points[i, 1]).squareRoot()
      #expect(abs(r - (circles.labels[i] == 0 ? 2 : 1)) < 0.3)
    }
    let board = Toy2D.checkerboard.sample(n: 1000, seed: 4)
    for i in 0..<board.rows {
      let (cx, cy) = (Int((board[i, 0] + 2).rounded(.down)), Int((board[i, 1] + 2).rounded(.down)))
      #expect((0..<4).contains(cx) && (0..<4).contains(cy) && (cx + cy) % 2 == 0)
    }
  }

  @Test func portableTrigonometryMatchesLibm() {
    // Over the angles the generators use (and beyond), within 2 ulp of 1.
    var worst = 0.0
    for k in 0...40_000 {
      let t = -20 + Double(k) * 0.001
      let (s, c) = PortableTrig.sinCos(t)
      worst = max(worst, abs(s - sin(t)), abs(c - cos(t)))
    }
    #expect(worst <= 2 * Double.ulpOfOne, "worst error \(worst)")
    #expect(PortableTrig.sinCos(0) == (0, 1))
  }

  @Test func lookupByNameAndCatalog() throws {
    #expect(try Toy2D.named("8gaussians") == .eightGaussians)
    #expect(try Toy2D.named("Swiss-Roll") == .swissroll)
    #expect(try Toy2D.named("2spirals") == .spirals)
    #expect(try Toy2D.named("MOONS") == .moons)
    for d in Toy2D.allCases { #expect(try Toy2D.named(d.name) == d) }
    let e = #expect(throws: UnknownDatasetError.self) { try Toy2D.named("banana") }
    #expect(e?.description == "unknown dataset 'banana'; valid names: gaussian, 8gaussians, moons, circles, checkerboard, spirals, swissroll")
    let lines = Toy2D.catalog.split(separator: "\n")
    #expect(lines.count == Toy2D.allCases.count)
    #expect(lines.allSatisfy { !$0.isEmpty } && lines[1].hasPrefix("8gaussians"))
  }
}
