import Foundation
import NCFTensor
import NCFTransport
import NCFImages

/// A colour map given on a finite set of anchor colours, extended to every
/// colour by nearest neighbour: a pixel x gets the image of the anchor
/// nearest to it (Euclidean in RGB).
///
/// Used for the exact-OT baseline, where the anchors are the subsampled
/// pixels xᵢ and their images the barycentric projections of the plan rows,
/// T(xᵢ) = Σⱼ Pᵢⱼ yⱼ / aᵢ. The map takes at most n distinct values.
public struct BarycentricColorMap: ColorMap {
  /// Anchor colours (n×3).
  public let anchors: Tensor<Double>
  /// The image of each anchor (n×3).
  public let images: Tensor<Double>
  let index: NearestNeighbourIndex

  /// - Precondition: `anchors` and `images` are both n×3 with n ≥ 1.
  public init(anchors: Tensor<Double>, images: Tensor<Double>) {
    precondition(anchors.hasShape(of: images) && anchors.columns == 3, "anchors and images must both be n×3")
    self.anchors = anchors
    self.images = images
    index = NearestNeighbourIndex(anchors)
  }

  /// The barycentric projection of a plan: anchors `from` (row side of the
  /// plan when `transposed` is false) mapped to the plan-weighted means of `to`.
  ///
  /// - Parameters:
  ///   - plan: the plan's nonzero entries (row i ↔ from[i] when not transposed).
  ///   - transposed: use the plan's columns as anchors (the backward map).
  /// - Precondition: every anchor carries mass in the plan.
  public init(plan: [PlanEntry], from: Tensor<Double>, to: Tensor<Double>, transposed: Bool = false) {
    var sums = Tensor<Double>.zeros(rows: from.rows, columns: 3)
    var mass = [Double](repeating: 0, count: from.rows)
    for e in plan {
      let (i, j) = transposed ? (e.column, e.row) : (e.row, e.column)
      mass[i] += e.mass
      for k in 0..<3 { sums[i, k] += e.mass * to[j, k] }
    }
    for i in 0..<from.rows {
      precondition(mass[i] > 0, "anchor \(i) carries no mass in the plan")
      for k in 0..<3 { sums[i, k] /= mass[i] }
    }
    self.init(anchors: from, images: sums)
  }

  /// - Complexity: O(n) per pixel in the worst case, a few anchors for
  ///   colours spread over the cube (see the grid index).
  public func map(_ colours: Tensor<Double>) -> Tensor<Double> {
    precondition(colours.columns == 3, "colours must be n×3")
    return Tensor(rows: colours.rows, columns: 3) { out in
      for r in 0..<colours.rows {
        let a = index.nearest(colours[r, 0], colours[r, 1], colours[r, 2])
        for k in 0..<3 { out[3 * r + k] = images[a, k] }
      }
    }
  }
}

/// The entropic map of a Sinkhorn solution as a colour map (see ``EntropicMap``):
/// T(x) = Σⱼ softmaxⱼ(log bⱼ + (gⱼ − ‖x − yⱼ‖²)/ε) yⱼ, defined for every colour.
public struct EntropicColorMap: ColorMap {
  public let entropicMap: EntropicMap

  public init(_ entropicMap: EntropicMap) {
    precondition(entropicMap.target.columns == 3, "an entropic colour map needs 3-D targets")
    self.entropicMap = entropicMap
  }

  /// - Complexity: O(n·m) per n colours (m = number of Sinkhorn targets).
  public func map(_ colours: Tensor<Double>) -> Tensor<Double> { entropicMap(colours) }
}

/// The discrete-OT baselines of a colour transfer: n random pixels of each
/// image matched by exact OT (network simplex) and by entropic OT
/// (Sinkhorn), with cost ‖x − y‖² between [0, 1]³ colours and uniform
/// weights; each solution gives a forward and a backward colour map.
///
/// - Exact OT: ``BarycentricColorMap`` from the plan (forward: rows; backward: columns).
/// - Sinkhorn: the entropic maps from the potentials g (forward) and f (backward).
public struct DiscreteColorBaselines: Sendable {
  /// The content pixels xᵢ (n×3).
  public let sourceSample: Tensor<Double>
  /// The style pixels yⱼ (n×3).
  public let targetSample: Tensor<Double>
  /// The exact solution (check its `status`: certified optimal or not).
  public let exact: ExactOTOutput
  /// Seconds spent in the exact solver.
  public let exactSeconds: Double
  /// The Sinkhorn solution (check `converged`).
  public let sinkhorn: SinkhornOutput
  /// Seconds spent in Sinkhorn.
  public let sinkhornSeconds: Double

  /// Draws `samples` pixels from each image (seeded) and solves both problems.
  /// - Precondition: both images have at least `samples` pixels (n ≥ 2).
  /// - Throws: ``DiscreteOTError`` when a problem cannot be built (never for valid images).
  /// - Complexity: O(n²) memory for the cost matrix; the exact solver's time
  ///   grows like n^2.2 (about a second at n = 1000 on 2 cores), Sinkhorn's like
  ///   n² per iteration.
  public static func solve(
    content: RGBImage, style: RGBImage, samples n: Int, epsilon: Double, tolerance: Double = 1e-4,
    maxIterations: Int = 5000, seed: UInt64 = 0
  ) throws -> DiscreteColorBaselines {
    precondition(n >= 2 && n <= content.pixelCount && n <= style.pixelCount, "baseline sample size \(n) out of range")
    var rng = SeededRandom(seed: seed ^ 0xBA5E_11AE)
    let x = content.randomPixels(count: n, seed: rng.next(), as: Double.self)
    let y = style.randomPixels(count: n, seed: rng.next(), as: Double.self)
    let problem = try DiscreteOTProblem(source: x, target: y, cost: .sqeuclidean)
    var start = Date()
    let exact = NetworkSimplex().solve(problem)
    let exactSeconds = Date().timeIntervalSince(start)
    start = Date()
    let sinkhorn = Sinkhorn(epsilon: epsilon, tolerance: tolerance, maxIterations: maxIterations)(problem)
    let sinkhornSeconds = Date().timeIntervalSince(start)
    return DiscreteColorBaselines(
      sourceSample: x, targetSample: y, exact: exact, exactSeconds: exactSeconds, sinkhorn: sinkhorn,
      sinkhornSeconds: sinkhornSeconds)
  }

  /// Content → style colours by the exact plan.
  public var exactForward: BarycentricColorMap {
    BarycentricColorMap(plan: exact.support, from: sourceSample, to: targetSample)
  }

  /// Style → content colours by the exact plan.
  public var exactBackward: BarycentricColorMap {
    BarycentricColorMap(plan: exact.support, from: targetSample, to: sourceSample, transposed: true)
  }

  /// Content → style colours by the entropic map of g.
  public var sinkhornForward: EntropicColorMap {
    EntropicColorMap(EntropicMap(
      target: targetSample, targetWeights: sinkhorn.problem.b, potential: sinkhorn.g, epsilon: sinkhorn.epsilon))
  }

  /// Style → content colours by the entropic map of f (the cost is symmetric).
  public var sinkhornBackward: EntropicColorMap {
    EntropicColorMap(EntropicMap(
      target: sourceSample, targetWeights: sinkhorn.problem.a, potential: sinkhorn.f, epsilon: sinkhorn.epsilon))
  }
}
