/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018)
/// with its 256-bit state filled from the seed by SplitMix64.
///
/// Reproducibility contract: the same seed gives the same stream of integers,
/// uniforms and normals on every run and every platform. Everything derived
/// here uses integer arithmetic and IEEE-754 `+ − × ÷ √` only (the normal
/// sampler uses our own logarithm, not libm, whose last bit varies between
/// platforms).
///
/// Period 2²⁵⁶ − 1; not cryptographically secure.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64
  private var spareNormal: Double?

  /// Creates a generator whose whole stream is determined by `seed`.
  public init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
  }

  /// An independent generator for a sub-task, derived from this one's seed
  /// stream and `stream` (so results do not depend on the order in which
  /// sub-tasks draw).
  public mutating func split(stream: UInt64 = 0) -> SeededRandom {
    SeededRandom(seed: next() ^ (stream &* 0xD1B5_4A32_D192_ED03))
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform in [a, b).
  public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

  /// Uniform integer in 0..<n (Lemire's unbiased multiply-shift method).
  /// - Precondition: n > 0.
  public mutating func integer(below n: Int) -> Int {
    precondition(n > 0, "integer(below:) needs a positive bound")
    let bound = UInt64(n)
    var m = next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
    }
    return Int(m.high)
  }

  /// Standard normal N(0, 1) by Marsaglia's polar method.
  public mutating func normal() -> Double {
    if let z = spareNormal { spareNormal = nil; return z }
    while true {
      let u = 2 * uniform() - 1, v = 2 * uniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let f = (-2 * portableLog(s) / s).squareRoot()
        spareNormal = v * f
        return u * f
      }
    }
  }

  /// A uniformly random permutation of 0..<n (Fisher–Yates).
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, integer(below: i + 1)) } }
    return p
  }

  /// `k` indices drawn uniformly from 0..<n with replacement.
  public mutating func indices(_ k: Int, below n: Int) -> [Int] { (0..<k).map { _ in integer(below: n) } }
}

/// Natural logarithm from IEEE arithmetic alone (bit-exact on every platform).
/// Accurate to about 1 ulp for positive normal inputs.
public func portableLog(_ x: Double) -> Double {
  precondition(x > 0 && x.isFinite && x.isNormal, "portableLog needs a positive normal number")
  var e = Int(x.exponent)
  var m = x.significand  // [1, 2)
  if m > 1.414_213_562_373_095_1 { m *= 0.5; e += 1 }
  let s = (m - 1) / (m + 1), s2 = s * s
  // 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …); |s| ≤ 0.1716 so 11 terms reach 1e-18.
  var p = 2.0 / 23
  for k in stride(from: 21, through: 1, by: -2) { p = p * s2 + 2.0 / Double(k) }
  return Double(e) * 0.693_147_180_559_945_3 + s * p
}

extension Tensor {
  /// Independent N(mean, std²) entries.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func normal(
    rows: Int, columns: Int, mean: Scalar = 0, standardDeviation std: Scalar = 1, using rng: inout SeededRandom
  ) -> Tensor {
    Tensor(rows: rows, columns: columns, scalars: (0..<(rows * columns)).map { _ in mean + std * Scalar(rng.normal()) })
  }

  /// Independent uniform entries in [low, high).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func uniform(
    rows: Int, columns: Int, low: Scalar = 0, high: Scalar = 1, using rng: inout SeededRandom
  ) -> Tensor {
    Tensor(rows: rows, columns: columns, scalars: (0..<(rows * columns)).map { _ in
      low + (high - low) * Scalar(rng.uniform())
    })
  }
}

extension Tensor {
  /// At most `limit` rows, a seeded random subset (in their original order)
  /// when there are more: for metrics whose cost grows like n².
  public func subsample(_ limit: Int, seed: UInt64) -> Tensor {
    guard rows > limit else { return self }
    return gathering(rows: subsampleRows(limit, seed: seed))
  }

  /// The rows ``subsample(_:seed:)`` keeps, in order (all rows when there
  /// are at most `limit`): row k of the subsample is row `result[k]` here,
  /// so that a problem found in the subsample can name the row of the whole.
  public func subsampleRows(_ limit: Int, seed: UInt64) -> [Int] {
    guard rows > limit else { return Array(0..<rows) }
    var rng = SeededRandom(seed: seed)
    return Array(rng.permutation(rows).prefix(limit)).sorted()
  }
}
