import NCFTensor
import NCFTransport

/// How the quadratic head of the potential starts.
///
/// Why it matters: Adam moves each weight by about one learning rate per
/// step, so a head that must travel O(1) (a mean shift of a few σ) needs
/// thousands of steps before the fine structure can be learnt. Starting
/// from the solution of a simpler problem removes that phase.
public enum HeadInitialization: String, Sendable, Codable, CaseIterable {
  /// All head weights zero: training starts from the plain MLP.
  case zero
  /// From the first two moments of the data. Quadratic cost: the exact
  /// potential between the Gaussians with the samples' means and
  /// covariances (the Bures / linear OT map), to the cubic's accuracy in t.
  /// ℓp costs: the exact potential of the translation between the means.
  /// Other (custom) costs: zero. The MLP's output layer then starts at zero,
  /// so the initial model *is* that closed-form solution.
  case moments
}

enum HeadInitializer {
  /// The head parameters (A₀…A₃, m, δ, c) for samples in model units, or nil
  /// when the cost has no moment-based solution.
  static func moments(
    source: Tensor<Double>, target: Tensor<Double>, cost: Cost?, terminalTime tf: Double
  ) -> [String: Tensor<Double>]? {
    let d = source.columns
    let m0 = mean(source), m1 = mean(target)
    let velocity = zip(m1, m0).map { ($0 - $1) / tf }
    var head: [String: Tensor<Double>] = [:]
    for k in 0..<4 { head["head.A\(k)"] = .zeros(rows: d, columns: d) }
    head["head.m"] = Tensor(column: m0)
    switch cost {
    case .none, .sqeuclidean?, .euclidean?, .lp?:
      return nil
    case .pnormp(let p)?:
      // Translation by the mean shift: u = p*·x − t·h(p*) with ∇h(p*) = velocity,
      // p*ᵢ = sign(vᵢ)|vᵢ|^{p−1}; in head form δ = p* and c = |p*|²/2 − h(p*).
      let q = p / (p - 1)
      let pStar = velocity.map { ($0 < 0 ? -1.0 : 1.0) * Double.pow(Swift.abs($0), p - 1) }
      let h = pStar.reduce(0.0) { $0 + Double.pow(Swift.abs($1), q) / q }
      head["head.delta"] = Tensor(column: pStar)
      head["head.c"] = Tensor(scalar: 0.5 * dot(pStar, pStar) - h)
      return head
    case .quadratic?:
      // The Gaussian solution for the samples' moments: P(t) = (1/t_f)·B(I + (t/t_f)B)⁻¹,
      // fitted by the cubic through t = 0, t_f/3, 2t_f/3, t_f, used only where the
      // cubic reproduces P: within 5 % (of max |P|) at the midpoints between the
      // nodes, which holds for spread ratios up to about 1:5 in every direction.
      // Beyond that (a narrow cloud against a wide one) P has a pole near [0, t_f]
      // and the cubic swings wildly: in 2-D, 500 steps from it ended with HJ
      // residuals of 18 to 10¹⁹ at ratios 1:30 to 1:1000, against at most 6·10⁻³
      // from the translation between the means, which is the start used then.
      head["head.delta"] = Tensor(column: velocity)
      head["head.c"] = Tensor(scalar: 0)
      let translation = head
      guard let s0 = covariance(source, mean: m0), let s1 = covariance(target, mean: m1) else { return nil }
      // A (near) point mass: Γ would scale like 1/spread (10⁹ for a constant source).
      let (v0, v1) = (trace(s0), trace(s1))
      let minimumRatio = SampleSpread.minimumRelativeSpread * SampleSpread.minimumRelativeSpread
      guard min(v0, v1) > minimumRatio * max(v0, v1),
            let g0 = try? Gaussian(mean: m0, covariance: s0), let g1 = try? Gaussian(mean: m1, covariance: s1),
            let ot = try? GaussianOT(source: g0, target: g1)
      else { return translation }
      /// P at s = t/t_f.
      func exact(_ s: Double) -> Tensor<Double>? {
        guard let hessian = try? ot.potentialHessian(time: s) else { return nil }
        return hessian * (1 / tf)
      }
      let nodes = [0.0, 1.0 / 3, 2.0 / 3, 1.0], midpoints = [1.0 / 6, 1.0 / 2, 5.0 / 6]
      let values = nodes.compactMap(exact), checks = midpoints.compactMap(exact)
      guard values.count == 4, checks.count == 3 else { return translation }
      // Coefficients in t (not s = t/t_f): Aₖ = Σⱼ (V⁻¹)ₖⱼ P(sⱼ) / t_fᵏ, V the Vandermonde matrix of the nodes.
      let vInverse = vandermondeInverse(nodes)
      var coefficients: [Tensor<Double>] = []
      for k in 0..<4 {
        var ak = Tensor<Double>.zeros(rows: d, columns: d)
        for j in 0..<4 { ak.add(values[j], scaledBy: vInverse[k][j] / Double.pow(tf, Double(k))) }
        coefficients.append((ak + ak.transposed()) * 0.5)
      }
      let size = values.map { $0.maxAbs() }.max() ?? 0
      for (s, p) in zip(midpoints, checks) {
        var cubic = (p + p.transposed()) * -0.5
        for k in 0..<4 { cubic.add(coefficients[k], scaledBy: Double.pow(s * tf, Double(k))) }
        guard cubic.maxAbs() <= 0.05 * size else { return translation }
      }
      for k in 0..<4 { head["head.A\(k)"] = coefficients[k] }
      return head
    }
  }

  /// The inverse of the 4×4 Vandermonde matrix Vⱼₖ = sⱼᵏ (Gauss–Jordan).
  static func vandermondeInverse(_ s: [Double]) -> [[Double]] {
    let n = s.count
    var m = (0..<n).map { j in (0..<n).map { k in Double.pow(s[j], Double(k)) } + (0..<n).map { $0 == j ? 1.0 : 0.0 } }
    for col in 0..<n {
      let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
      m.swapAt(col, pivot)
      let p = m[col][col]
      m[col] = m[col].map { $0 / p }
      for r in 0..<n where r != col {
        let f = m[r][col]
        m[r] = zip(m[r], m[col]).map { $0 - f * $1 }
      }
    }
    return m.map { Array($0[n...]) }
  }

  static func mean(_ x: Tensor<Double>) -> [Double] { x.mean(alongAxis: 0).scalars }

  /// The sample covariance with a small ridge (so that degenerate data still give an SPD matrix).
  static func covariance(_ x: Tensor<Double>, mean m: [Double]) -> Tensor<Double>? {
    let d = x.columns, n = x.rows
    guard n > d else { return nil }
    var centred = x
    for r in 0..<n { for k in 0..<d { centred[r, k] -= m[k] } }
    var c = Tensor.matmul(centred, centred, transposeA: true) * (1 / Double(n - 1))
    c = (c + c.transposed()) * 0.5
    let ridge = 1e-6 * max(trace(c) / Double(d), 1e-12)
    for i in 0..<d { c[i, i] += ridge }
    return c
  }

  static func trace(_ m: Tensor<Double>) -> Double { (0..<m.rows).reduce(0.0) { $0 + m[$1, $1] } }

  static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}
