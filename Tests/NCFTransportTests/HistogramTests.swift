import Testing
import NCFTensor
import NCFTestSupport
import NCFTransport

@Suite struct HistogramTests {
  @Test func binningEdgesAndClamping() {
    let v = Tensor<Double>(column: [0, 0.2499, 0.25, 0.999, 1, -0.5, 1.5, 0.5])
    let h = Histogram.perChannel(v, bins: 4)[0]
    #expect(h.masses == [3, 1, 1, 3].map { $0 / 8.0 })
    #expect(abs(h.masses.reduce(0, +) - 1) <= 1e-15)
  }

  @Test func jointColourHistogramLayout() {
    let pixels = Tensor<Float>([[0, 0, 0], [1, 1, 1], [0.6, 0.1, 0.9], [0.6, 0.1, 0.9]])
    let h = Histogram.joint(pixels, bins: 2)
    #expect(h.dimension == 3 && h.masses.count == 8)
    #expect(h.masses[0] == 0.25)  // (0,0,0)
    #expect(h.masses[7] == 0.25)  // (1,1,1)
    #expect(h.masses[4 + 1] == 0.5)  // (1,0,1): first axis slowest
    #expect(h.binCentres.row(5) == [0.75, 0.25, 0.75])
  }

  @Test func intersectionOfIdenticalIsOneAndOfDisjointIsZero() {
    var rng = SeededRandom(seed: 14)
    let pixels = Tensor<Double>.uniform(rows: 500, columns: 3, using: &rng)
    for h in Histogram.perChannel(pixels, bins: 16) + [Histogram.joint(pixels, bins: 8)] {
      #expect(abs(h.intersection(h) - 1) <= 1e-12)
    }
    let p = Histogram(masses: [1, 0, 0, 0], bins: 4), q = Histogram(masses: [0, 0, 2, 2], bins: 4)
    #expect(p.intersection(q) == 0)
    let r = Histogram(masses: [1, 1, 0, 2], bins: 4)
    #expect(abs(r.intersection(q) - 0.5) <= 1e-15)  // min(¼,0)+min(¼,0)+min(0,½)+min(½,½)
  }

  @Test(arguments: [5, 16, 64])
  func oneDimensionalClosedFormsMatchTheExactSolver(bins: Int) throws {
    var rng = SeededRandom(seed: UInt64(bins))
    let p = Histogram(masses: (0..<bins).map { _ in rng.uniform() < 0.3 ? 0 : rng.uniform() }, bins: bins)
    let q = Histogram(masses: (0..<bins).map { _ in rng.uniform() }, bins: bins)
    let centres = p.binCentres
    for order in [1, 2] {
      let problem = try DiscreteOTProblem(
        source: centres, target: centres, a: p.masses, b: q.masses,
        cost: order == 1 ? .euclidean : .sqeuclidean)
      let exact = try NetworkSimplex()(problem).cost
      let closed = try p.wasserstein(q, order: order)
      #expect(abs(closed - (order == 1 ? exact : exact.squareRoot())) <= 1e-12)
    }
  }

  @Test func threeDimensionalWassersteinOfAShiftedHistogram() throws {
    // All mass in one bin versus the bin one step along each axis: W = √3/bins.
    let bins = 4
    var a = [Double](repeating: 0, count: 64), b = a
    a[(1 * bins + 1) * bins + 1] = 1
    b[(2 * bins + 2) * bins + 2] = 1
    let p = Histogram(masses: a, bins: bins, dimension: 3), q = Histogram(masses: b, bins: bins, dimension: 3)
    let shiftW1 = try p.wasserstein(q, order: 1), shiftW2 = try p.wasserstein(q, order: 2)
    #expect(abs(shiftW1 - 3.0.squareRoot() / 4) <= 1e-15)
    #expect(abs(shiftW2 - 3.0.squareRoot() / 4) <= 1e-15)
    // Random colour histograms: W₁ ≤ W₂ (Jensen), both 0 against themselves.
    var rng = SeededRandom(seed: 15)
    let h1 = Histogram.joint(Tensor<Double>.uniform(rows: 400, columns: 3, using: &rng), bins: 6)
    let h2 = Histogram.joint(Tensor<Double>.uniform(rows: 400, columns: 3, high: 0.8, using: &rng), bins: 6)
    let w1 = try h1.wasserstein(h2, order: 1), w2 = try h1.wasserstein(h2, order: 2)
    #expect(w1 > 0 && w1 <= w2 + 1e-12)
    let selfDistance = try h1.wasserstein(h1, order: 2)
    #expect(abs(selfDistance) <= 1e-12)
  }
}
