import NCFTensor

/// Adam / AdamW (Kingma & Ba 2015; Loshchilov & Hutter 2019) with bias
/// correction and optional global gradient-norm clipping.
///
///     g ← g · min(1, clip/‖g‖)            (‖g‖ over all parameters together)
///     m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
///     θ ← θ − lr·( m̂/(√v̂ + ε) + λθ ),   m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
///
/// λ is the *decoupled* weight decay of AdamW (0 gives plain Adam). Moments
/// are kept in the parameters' precision.
public struct Adam<Scalar: TensorScalar>: Sendable {
  public var beta1: Double
  public var beta2: Double
  public var epsilon: Double
  /// Decoupled weight decay λ (AdamW); 0 for Adam.
  public var weightDecay: Double
  /// Clip the global gradient norm to this value; nil disables clipping.
  public var gradientClipNorm: Double?
  /// Per-parameter multipliers of the learning rate (parameter-set order);
  /// nil means 1 for every parameter.
  public var learningRateScales: [Double]?
  /// Number of updates taken so far.
  public private(set) var step = 0
  private var m: [Tensor<Scalar>] = []
  private var v: [Tensor<Scalar>] = []

  public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
              weightDecay: Double = 0, gradientClipNorm: Double? = nil) {
    precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam betas must lie in [0, 1)")
    precondition(epsilon > 0 && weightDecay >= 0, "Adam needs ε > 0 and λ ≥ 0")
    self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
    self.weightDecay = weightDecay; self.gradientClipNorm = gradientClipNorm
  }

  /// Applies one update to `parameters` with learning rate `learningRate`.
  /// - Returns: the global gradient norm before clipping.
  /// - Precondition: one gradient per parameter, of the same shape.
  @discardableResult
  public mutating func update(_ parameters: inout ParameterSet<Scalar>, gradients: [Tensor<Scalar>], learningRate: Double) -> Double {
    precondition(gradients.count == parameters.count, "Adam: \(gradients.count) gradients for \(parameters.count) parameters")
    if m.isEmpty {
      m = parameters.tensors.map { .zeros(rows: $0.rows, columns: $0.columns) }
      v = m
    }
    let norm = gradients.reduce(0.0) { $0 + Double($1.squaredNorm()) }.squareRoot()
    var scale = 1.0
    if let clip = gradientClipNorm, norm > clip { scale = clip / norm }
    step += 1
    let b1 = Scalar(beta1), b2 = Scalar(beta2)
    let c1 = Scalar(1 / (1 - beta1.raised(toInteger: step))), c2 = Scalar(1 / (1 - beta2.raised(toInteger: step)))
    let eps = Scalar(epsilon)
    let s = Scalar(scale)
    precondition(learningRateScales == nil || learningRateScales!.count == parameters.count, "Adam: one learning-rate scale per parameter")
    for k in 0..<parameters.count {
      let rate = learningRate * (learningRateScales?[k] ?? 1)
      let lr = Scalar(rate), decay = Scalar(rate * weightDecay)
      precondition(gradients[k].hasShape(of: parameters.tensors[k]), "Adam: gradient \(k) has the wrong shape")
      gradients[k].scalars.withUnsafeBufferPointer { g in
        m[k].scalars.withUnsafeMutableBufferPointer { mp in
          v[k].scalars.withUnsafeMutableBufferPointer { vp in
            parameters.tensors[k].scalars.withUnsafeMutableBufferPointer { th in
              for i in 0..<g.count {
                let gi = g[i] * s
                mp[i] = b1 * mp[i] + (1 - b1) * gi
                vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
                th[i] -= lr * (mp[i] * c1) / ((vp[i] * c2).squareRoot() + eps) + decay * th[i]
              }
            }
          }
        }
      }
    }
    return norm
  }
}

/// How the learning rate changes over training.
public enum LearningRateSchedule: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The base rate throughout.
  case constant
  /// Linear warm-up over `warmup` steps, then cosine decay from the base rate
  /// to `base·finalFraction` at `totalSteps`.
  case cosine(totalSteps: Int, warmup: Int, finalFraction: Double)
  /// Multiply by `factor` every `every` steps.
  case step(every: Int, factor: Double)

  /// The rate at (0-based) `step` for base rate `base`.
  public func rate(at step: Int, base: Double) -> Double {
    switch self {
    case .constant:
      return base
    case .cosine(let total, let warmup, let final):
      if warmup > 0 && step < warmup { return base * Double(step + 1) / Double(warmup) }
      let span = Double(max(total - warmup, 1))
      let progress = min(1, Double(step - warmup) / span)
      return base * (final + (1 - final) * 0.5 * (1 + cosPi(progress)))
    case .step(let every, let factor):
      return base * factor.raised(toInteger: every > 0 ? step / every : 0)
    }
  }

  public var description: String {
    switch self {
    case .constant: return "constant"
    case .cosine(let t, let w, let f): return "cosine(total: \(t), warmup: \(w), final: \(f))"
    case .step(let e, let f): return "step(every: \(e), factor: \(f))"
    }
  }
}

/// cos(πx) for x ∈ [0, 1] through the portable series (no libm dependence,
/// so schedules are bit-identical across platforms).
func cosPi(_ x: Double) -> Double {
  // Reduce to [0, 1/2] with cos(π(1 − x)) = −cos(πx), then Taylor to degree 20.
  let (y, sign) = x > 0.5 ? (1 - x, -1.0) : (x, 1.0)
  let t = Double.pi * y, t2 = t * t
  var term = 1.0, sum = 1.0
  for k in 1...10 {
    term *= -t2 / Double((2 * k - 1) * (2 * k))
    sum += term
  }
  return sign * sum
}
