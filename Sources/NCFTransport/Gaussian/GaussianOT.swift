import NCFTensor

/// A Gaussian N(mean, covariance) in ℝᵈ, with exact sampling.
public struct Gaussian: Sendable, Equatable {
  /// The mean (length d).
  public let mean: [Double]
  /// The covariance (d×d, symmetric positive definite).
  public let covariance: Tensor<Double>
  /// A square root Σ^{1/2} used for sampling x = m + Σ^{1/2} z.
  public let covarianceRoot: Tensor<Double>

  /// - Throws: if the covariance is not SPD or the sizes disagree.
  public init(mean: [Double], covariance: Tensor<Double>) throws {
    guard covariance.rows == mean.count, covariance.columns == mean.count else {
      throw LinearAlgebra.Error.notSquare(rows: covariance.rows, columns: covariance.columns)
    }
    self.mean = mean
    self.covariance = covariance
    self.covarianceRoot = try LinearAlgebra.spdSquareRoot(covariance)
  }

  /// The Gaussian with the sample mean and covariance (1/(n − 1)) of the rows
  /// of `samples`: the "moments-only" model of a data set.
  /// - Throws: when the sample covariance is not positive definite (fewer
  ///   than d + 1 points in general position).
  public init(fitting samples: Tensor<Double>) throws {
    let n = samples.rows, d = samples.columns
    let m = samples.mean(alongAxis: 0).scalars
    var centred = samples
    for r in 0..<n { for k in 0..<d { centred[r, k] -= m[k] } }
    var c = Tensor.matmul(centred, centred, transposeA: true) * (1 / Double(max(n - 1, 1)))
    c = (c + c.transposed()) * 0.5
    try self.init(mean: m, covariance: c)
  }

  /// Dimension d.
  public var dimension: Int { mean.count }

  /// tr Σ, the total variance (the UVP normaliser).
  public var totalVariance: Double { (0..<dimension).reduce(0) { $0 + covariance[$1, $1] } }

  /// n exact samples (n×d).
  @_specialize(where S == Float)
  @_specialize(where S == Double)
  public func sample<S: TensorScalar>(_ n: Int, using rng: inout SeededRandom, as: S.Type = S.self) -> Tensor<S> {
    let z = Tensor<Double>.normal(rows: n, columns: dimension, using: &rng)
    var x = Tensor.matmul(z, covarianceRoot)  // Σ^{1/2} symmetric
    for i in 0..<n { for k in 0..<dimension { x[i, k] += mean[k] } }
    return x.converted(to: S.self)
  }
}

/// The closed-form quadratic-cost OT between two Gaussians μ = N(m₀, Σ₀) and
/// ν = N(m₁, Σ₁): the Brenier map T*(x) = m₁ + Γ(x − m₀) with
///
///     Γ = Σ₀^{-1/2} (Σ₀^{1/2} Σ₁ Σ₀^{1/2})^{1/2} Σ₀^{-1/2}   (symmetric positive definite),
///
/// its inverse S*(y) = m₀ + Γ⁻¹(y − m₁), and W₂² = |m₀ − m₁|² + tr Σ₀ + tr Σ₁ − 2 tr (Σ₀^{1/2}Σ₁Σ₀^{1/2})^{1/2}.
public struct GaussianOT: Sendable {
  public let source: Gaussian
  public let target: Gaussian
  /// Γ, the linear part of the forward map.
  public let gamma: Tensor<Double>
  /// Γ⁻¹, the linear part of the backward map.
  public let gammaInverse: Tensor<Double>
  /// W₂²(μ, ν) = E|x − T*(x)|² (no ½ factor).
  public let squaredW2: Double

  /// - Throws: if the dimensions differ or a covariance is not SPD.
  public init(source: Gaussian, target: Gaussian) throws {
    precondition(source.dimension == target.dimension, "GaussianOT: dimensions differ")
    self.source = source
    self.target = target
    let r0 = source.covarianceRoot
    let r0inv = try LinearAlgebra.spdInverseSquareRoot(source.covariance)
    var middle = Tensor.matmul(Tensor.matmul(r0, target.covariance), r0)
    middle = (middle + middle.transposed()) * 0.5
    let middleRoot = try LinearAlgebra.spdSquareRoot(middle)
    var g = Tensor.matmul(Tensor.matmul(r0inv, middleRoot), r0inv)
    g = (g + g.transposed()) * 0.5
    gamma = g
    gammaInverse = try LinearAlgebra.spdInverse(g)
    let dm = zip(source.mean, target.mean).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let trRoot = (0..<g.rows).reduce(0) { $0 + middleRoot[$1, $1] }
    squaredW2 = dm + source.totalVariance + target.totalVariance - 2 * trRoot
  }

  /// Mₛ = B(I + sB)⁻¹ with B = Γ − I: the Hessian of the exact potential
  /// u*(·, s) at time s ∈ [0, 1] (t_f = 1), ∇ₓu* = Mₛ(x − m₀ − sδ) + δ. The
  /// one place this closed form is computed (the closed-form potential and
  /// the NCF head's initialisation both use it).
  /// - Throws: when I + sB is not positive definite (not for s ∈ [0, 1]).
  /// - Complexity: O(d³).
  public func potentialHessian(time s: Double) throws -> Tensor<Double> {
    let d = gamma.rows
    var b = gamma
    for i in 0..<d { b[i, i] -= 1 }
    var a = b * s
    for i in 0..<d { a[i, i] += 1 }
    let inverse = try LinearAlgebra.spdInverse((a + a.transposed()) * 0.5)
    return Tensor.matmul(b, inverse)
  }

  /// T*(x) = m₁ + Γ(x − m₀) for every row.
  public func forward<S: TensorScalar>(_ x: Tensor<S>) -> Tensor<S> {
    affine(x, from: source.mean, matrix: gamma, to: target.mean)
  }

  /// S*(y) = m₀ + Γ⁻¹(y − m₁) for every row.
  public func backward<S: TensorScalar>(_ y: Tensor<S>) -> Tensor<S> {
    affine(y, from: target.mean, matrix: gammaInverse, to: source.mean)
  }

  private func affine<S: TensorScalar>(_ x: Tensor<S>, from a: [Double], matrix: Tensor<Double>, to b: [Double]) -> Tensor<S> {
    precondition(x.columns == a.count, "GaussianOT: points have \(x.columns) columns, expected \(a.count)")
    var c = x.converted(to: Double.self)
    for i in 0..<c.rows { for k in 0..<c.columns { c[i, k] -= a[k] } }
    var out = Tensor.matmul(c, matrix)  // symmetric matrix: rows · Γ = (Γ · row)ᵀ
    for i in 0..<out.rows { for k in 0..<out.columns { out[i, k] += b[k] } }
    return out.converted(to: S.self)
  }
}

/// The Gaussian benchmark pairs (as in Korotin et al. 2021 and the NCF paper):
/// zero means, Σ = Q diag(λ) Qᵀ with λ log-uniform in [1/2, 2] and Q
/// Haar-random (QR of a Gaussian matrix with the sign fix), one fixed seed
/// per dimension so every run sees the same pair.
public enum GaussianBenchmark {
  /// A random SPD matrix with spectrum log-uniform in [1/2, 2].
  public static func randomCovariance(dimension d: Int, using rng: inout SeededRandom) -> Tensor<Double> {
    let (q, _) = LinearAlgebra.qr(Tensor<Double>.normal(rows: d, columns: d, using: &rng))
    let ln2 = 0.693_147_180_559_945_3
    let lambdas = (0..<d).map { _ in Double.exp(rng.uniform(-ln2, ln2)) }
    var sigma = Tensor<Double>.zeros(rows: d, columns: d)
    for i in 0..<d {
      for j in 0..<d {
        var s = 0.0
        for k in 0..<d { s += q[i, k] * lambdas[k] * q[j, k] }
        sigma[i, j] = s
      }
    }
    return (sigma + sigma.transposed()) * 0.5
  }

  /// The fixed seed of the pair in dimension d.
  public static func seed(dimension d: Int) -> UInt64 { 0x4E43_4600_0000 &+ UInt64(d) }

  /// The benchmark pair in dimension d (zero means); `seed` overrides the fixed one.
  public static func pair(dimension d: Int, seed: UInt64? = nil) throws -> GaussianOT {
    precondition(d >= 1, "dimension must be ≥ 1")
    var rng = SeededRandom(seed: seed ?? Self.seed(dimension: d))
    let zero = [Double](repeating: 0, count: d)
    let s0 = randomCovariance(dimension: d, using: &rng)
    let s1 = randomCovariance(dimension: d, using: &rng)
    return try GaussianOT(source: Gaussian(mean: zero, covariance: s0), target: Gaussian(mean: zero, covariance: s1))
  }
}

/// Unexplained-variance percentage of a map estimate:
/// UVP(T̂) = 100 · E‖T̂(x) − T*(x)‖² / normaliser, with normaliser tr Σ_ν for a
/// forward map (tr Σ_μ for a backward map).
public func unexplainedVariancePercentage<S: TensorScalar>(
  estimate: Tensor<S>, truth: Tensor<S>, totalVariance: Double
) -> Double {
  precondition(estimate.hasShape(of: truth), "UVP: shapes differ")
  precondition(totalVariance > 0, "UVP: total variance must be positive")
  var s = 0.0
  for (a, b) in zip(estimate.scalars, truth.scalars) { let d = Double(a) - Double(b); s += d * d }
  return 100 * (s / Double(max(estimate.rows, 1))) / totalVariance
}

/// The cosine similarity between estimated and true displacements
/// (Korotin et al.'s "cos" metric):
/// E⟨T*(x) − x, T̂(x) − x⟩ / √(E‖T*(x) − x‖² · E‖T̂(x) − x‖²).
public func displacementCosine<S: TensorScalar>(source x: Tensor<S>, estimate: Tensor<S>, truth: Tensor<S>) -> Double {
  precondition(x.hasShape(of: estimate) && x.hasShape(of: truth), "cos: shapes differ")
  var dot = 0.0, ne = 0.0, nt = 0.0
  for k in 0..<x.count {
    let e = Double(estimate.scalars[k]) - Double(x.scalars[k]), t = Double(truth.scalars[k]) - Double(x.scalars[k])
    dot += e * t; ne += e * e; nt += t * t
  }
  return ne > 0 && nt > 0 ? dot / (ne * nt).squareRoot() : 0
}
