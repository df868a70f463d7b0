import NCFTensor

/// Built-in seeded 2-D point clouds, the usual toy distributions for
/// transport and generative-model experiments.
///
/// All are roughly unit scale, centred near the origin and within a radius
/// of about 2.5. Each point is drawn independently (mixture components are
/// chosen per point, not in blocks), so any prefix of a sample is itself a
/// fair sample.
///
/// Reproducibility: the same `(n, seed)` gives bit-identical points on every
/// platform: the generator is ``SeededRandom`` and the trigonometry is our
/// own IEEE-only code, not libm.
public enum Toy2D: String, CaseIterable, Sendable, CustomStringConvertible {
  case gaussian
  case eightGaussians = "8gaussians"
  case moons
  case circles
  case checkerboard
  case spirals
  case swissroll

  /// The name used on the command line (`8gaussians`, `moons`, …).
  public var name: String { rawValue }

  public var description: String { rawValue }

  /// A one-line description (for `ncf datasets`).
  public var summary: String {
    switch self {
    case .gaussian: return "standard normal N(0, I)"
    case .eightGaussians: return "8 Gaussians (std 0.1) evenly spaced on the circle of radius 2"
    case .moons: return "two interleaving half circles, noise std 0.05, centred"
    case .circles: return "two concentric circles of radii 2 and 1, noise std 0.05"
    case .checkerboard: return "uniform on the 8 dark squares of a 4×4 board covering [-2, 2]²"
    case .spirals: return "two interleaved spiral arms out to radius 2, noise std 0.05"
    case .swissroll: return "a 2-D Swiss roll (1.5 turns, radius up to 2), centred, noise std 0.05"
    }
  }

  /// Every dataset as `name  summary` lines, names padded to one column.
  public static var catalog: String {
    let width = allCases.map(\.name.count).max() ?? 0
    return allCases.map { $0.name.padding(to: width) + "  " + $0.summary }.joined(separator: "\n")
  }

  /// The dataset called `name`, ignoring case, `-`, `_` and spaces; a few
  /// common aliases are accepted (`normal`, `eightgaussians`, `2spirals`).
  /// - Throws: ``UnknownDatasetError``, whose message lists the valid names.
  public static func named(_ name: String) throws -> Toy2D {
    let key = String(name.lowercased().filter { !"-_ ".contains($0) })
    if let d = Toy2D(rawValue: key) { return d }
    switch key {
    case "normal", "gauss", "gaussian2d": return .gaussian
    case "eightgaussians", "8gauss": return .eightGaussians
    case "2spirals", "twospirals", "spiral": return .spirals
    case "moon", "twomoons", "2moons": return .moons
    case "circle", "2circles", "twocircles": return .circles
    case "checkers", "checker": return .checkerboard
    default: throw UnknownDatasetError(name: name)
    }
  }

  /// `n` points as an n×2 tensor.
  /// - Precondition: n ≥ 0.
  /// - Complexity: O(n).
  public func sample(n: Int, seed: UInt64) -> Tensor<Double> {
    labeledSample(n: n, seed: seed).points
  }

  /// `n` points and, for each, the index of the mixture component or arm it
  /// came from (0 for the single-component datasets `gaussian` and `swissroll`).
  /// Handy for colouring figures.
  /// - Precondition: n ≥ 0.
  /// - Complexity: O(n).
  public func labeledSample(n: Int, seed: UInt64) -> (points: Tensor<Double>, labels: [Int]) {
    precondition(n >= 0, "Toy2D.sample needs n ≥ 0, got \(n)")
    var rng = SeededRandom(seed: seed)
    var xy = [Double](repeating: 0, count: 2 * n)
    var labels = [Int](repeating: 0, count: n)
    for i in 0..<n {
      let (x, y, label) = point(&rng)
      xy[2 * i] = x
      xy[2 * i + 1] = y
      labels[i] = label
    }
    return (Tensor(rows: n, columns: 2, scalars: xy), labels)
  }

  private func point(_ rng: inout SeededRandom) -> (Double, Double, Int) {
    let pi = Double.pi
    switch self {
    case .gaussian:
      return (rng.normal(), rng.normal(), 0)
    case .eightGaussians:
      let k = rng.integer(below: 8)
      let (s, c) = PortableTrig.sinCos(Double(k) * pi / 4)
      return (2 * c + 0.1 * rng.normal(), 2 * s + 0.1 * rng.normal(), k)
    case .moons:
      // The classic construction (outer arc, inner arc shifted by (1, −0.5)),
      // then centred on the origin.
      let arm = rng.integer(below: 2)
      let (s, c) = PortableTrig.sinCos(pi * rng.uniform())
      let (x, y) = arm == 0 ? (c, s) : (1 - c, 0.5 - s)
      return (x - 0.5 + 0.05 * rng.normal(), y - 0.25 + 0.05 * rng.normal(), arm)
    case .circles:
      let ring = rng.integer(below: 2)
      let r = ring == 0 ? 2.0 : 1.0
      let (s, c) = PortableTrig.sinCos(2 * pi * rng.uniform())
      return (r * c + 0.05 * rng.normal(), r * s + 0.05 * rng.normal(), ring)
    case .checkerboard:
      // The 8 cells (i, j) of the 4×4 board with i + j even, picked uniformly.
      let cell = rng.integer(below: 8)
      let i = cell / 2, j = 2 * (cell % 2) + (i % 2)
      return (-2 + Double(i) + rng.uniform(), -2 + Double(j) + rng.uniform(), cell)
    case .spirals:
      // √u makes the density per unit arc length roughly even along the arm.
      let arm = rng.integer(below: 2)
      let t = rng.uniform().squareRoot() * 3 * pi
      let r = 2 * t / (3 * pi)
      let (s, c) = PortableTrig.sinCos(t + Double(arm) * pi)
      return (r * c + 0.05 * rng.normal(), r * s + 0.05 * rng.normal(), arm)
    case .swissroll:
      let t = 1.5 * pi * (1 + 2 * rng.uniform())
      let (s, c) = PortableTrig.sinCos(t)
      let scale = 2 / (4.5 * pi)
      // Centred: over t uniform on [1.5π, 4.5π], E[t cos t] = 2 and E[t sin t] = 2/(3π).
      let (mx, my) = (2 * scale, 2 / (3 * pi) * scale)
      return (scale * t * c - mx + 0.05 * rng.normal(), scale * t * s - my + 0.05 * rng.normal(), 0)
    }
  }
}

/// A dataset name that ``Toy2D/named(_:)`` does not know.
public struct UnknownDatasetError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The name asked for.
  public let name: String

  /// One line naming the valid datasets.
  public var description: String {
    "unknown dataset '\(name)'; valid names: " + Toy2D.allCases.map(\.name).joined(separator: ", ")
  }
}

extension String {
  fileprivate func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}

/// sin and cos from IEEE `+ − × ÷` alone, so generated samples are
/// bit-identical across platforms (libm's last bit is not). Accurate to a
/// few ulp for the angles used here (|x| < 20); the error grows like
/// |x|·1e-21 beyond.
public enum PortableTrig {
  /// (sin x, cos x), bit-identical on every platform.
  public static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    // Cody–Waite reduction: x = k·π/2 + r with |r| ≤ π/4. π/2 is split into a
    // 33-bit head (k·head is exact for |k| < 2²⁰) and a tail.
    let head = 1.570_796_326_734_125_614_17, tail = 6.077_100_506_506_192_249_32e-11
    let k = (x * 0.636_619_772_367_581_382_43).rounded()
    let r = (x - k * head) - k * tail
    let (sr, cr) = taylor(r, r * r)
    switch Int(k) & 3 {
    case 0: return (sr, cr)
    case 1: return (cr, -sr)
    case 2: return (-sr, -cr)
    default: return (-cr, sr)
    }
  }

  /// Taylor polynomials to r¹⁷ and r¹⁸ by Horner's rule; for |r| ≤ π/4 the
  /// remainder is below 1e-20.
  private static func taylor(_ r: Double, _ r2: Double) -> (Double, Double) {
    // sin r = r (1 − r²/(2·3) (1 − r²/(4·5) (1 − …)))
    var s = 1.0
    for n in stride(from: 16, through: 2, by: -2) { s = 1 - r2 / Double(n * (n + 1)) * s }
    // cos r = 1 − r²/(1·2) (1 − r²/(3·4) (1 − …))
    var c = 1.0
    for n in stride(from: 17, through: 1, by: -2) { c = 1 - r2 / Double(n * (n + 1)) * c }
    return (r * s, c)
  }
}
