import NCFTensor
import NCFFlows
import NCFFigures

/// The figure of a 2-D model (`ncf demo`, `ncf plot`): the data, both
/// pushed-forward samples, the straight characteristics x → T(x), and (when
/// a history is known) the loss curves.
public enum TransportFigure {
  /// Builds the figure.
  /// - Parameters:
  ///   - segments: number of characteristics drawn (fewer when the source has fewer points).
  ///   - maxPoints: points per cloud in the scatter panels.
  /// - Precondition: the model and the samples are 2-D.
  /// - Throws: ``NonFiniteResultError`` naming the first row of `source` or
  ///   `target` whose image is NaN or ±∞ (such a point cannot be drawn).
  public static func make(
    model: NCFModel, source: Tensor<Double>, target: Tensor<Double>, history: [LossPoint]?,
    segments: Int, maxPoints: Int = 1500, title: String? = nil
  ) throws(NonFiniteResultError) -> Figure {
    precondition(model.dimension == 2 && source.columns == 2 && target.columns == 2, "TransportFigure draws 2-D models")
    let (sourceRows, targetRows, startRows) = (source.subsampleRows(maxPoints, seed: 11), target.subsampleRows(maxPoints, seed: 12),
                                               source.subsampleRows(segments, seed: 13))
    let xs = source.subsample(maxPoints, seed: 11)
    let ys = target.subsample(maxPoints, seed: 12)
    let starts = source.subsample(segments, seed: 13)
    let tx: Tensor<Double>, sy: Tensor<Double>, ends: Tensor<Double>
    do throws(NonFiniteResultError) {
      (tx, sy) = (try model.checkedForward(xs), try model.checkedBackward(ys))
    } catch {
      throw error.inWhole(source: sourceRows, target: targetRows)
    }
    do throws(NonFiniteResultError) { ends = try model.checkedForward(starts) } catch { throw error.inWhole(source: startRows, target: []) }

    // One frame for the four data panels, fitted to the data (mapped points
    // far outside are clipped rather than shrinking everything else).
    let (xRange, yRange) = frame(xs, ys)
    func panel(_ title: String) -> Plot {
      var p = Plot(title: title, xLabel: "x₁", yLabel: "x₂")
      p.equalAspect = true
      p.xRange = xRange
      p.yRange = yRange
      return p
    }
    let sourceColor = PlotColor.blue, targetColor = PlotColor.vermillion

    var data = panel("source μ and target ν")
    data.scatter(points: xs.points2D, label: "source μ", color: sourceColor, radius: 2, opacity: 0.45)
    data.scatter(points: ys.points2D, label: "target ν", color: targetColor, radius: 2, opacity: 0.45)

    var forward = panel("forward map: T♯μ over ν")
    forward.scatter(points: ys.points2D, label: "target ν", color: .gray, radius: 2, opacity: 0.3)
    forward.scatter(points: tx.points2D, label: "T(x), x ~ μ", color: sourceColor, radius: 2, opacity: 0.5)

    var backward = panel("backward map: S♯ν over μ")
    backward.scatter(points: xs.points2D, label: "source μ", color: .gray, radius: 2, opacity: 0.3)
    backward.scatter(points: sy.points2D, label: "S(y), y ~ ν", color: targetColor, radius: 2, opacity: 0.5)

    var paths = panel("characteristics x → T(x)")
    paths.segments(from: starts.points2D, to: ends.points2D, label: "x → T(x)", color: .gray, width: 0.7, opacity: 0.55)
    paths.scatter(points: starts.points2D, label: "x", color: sourceColor, radius: 1.8, opacity: 0.8)
    paths.scatter(points: ends.points2D, label: "T(x)", color: targetColor, radius: 1.8, opacity: 0.8)

    var panels = [data, forward, backward, paths]
    if let history, !history.isEmpty {
      var losses = Plot(title: "training losses", xLabel: "step", yLabel: "loss (log scale)")
      losses.yScale = .log10
      losses.line(x: history.map { Double($0.step) }, y: history.map(\.hjLoss), label: "HJ loss", color: .bluishGreen)
      let energy = history.filter { $0.energyDistance != nil }
      if !energy.isEmpty {
        losses.line(x: energy.map { Double($0.step) }, y: energy.map { $0.energyDistance! }, label: "energy distance (batch)",
                    color: .reddishPurple)
      }
      // Held-out checks during training, and the model's final certificate.
      var validation = history.compactMap { p in p.heldOutForward.map { (step: p.step, value: $0) } }
      if let c = model.certificate, !validation.contains(where: { $0.step == c.step }) {
        validation.append((c.step, c.forwardEnergyDistance))
      }
      if !validation.isEmpty {
        losses.scatter(x: validation.map { Double($0.step) }, y: validation.map(\.value),
                       label: "energy distance (held out)", color: .orange, radius: 3.5, opacity: 0.9)
      }
      panels.append(losses)
    }
    return Figure(panels: panels, columns: 3, title: title)
  }

  /// A square-ish frame around both clouds with a 5% margin.
  private static func frame(_ a: Tensor<Double>, _ b: Tensor<Double>) -> (ClosedRange<Double>, ClosedRange<Double>) {
    var lo = [Double.infinity, .infinity], hi = [-Double.infinity, -.infinity]
    for t in [a, b] {
      for i in 0..<t.rows {
        for k in 0..<2 where t[i, k].isFinite {
          lo[k] = min(lo[k], t[i, k])
          hi[k] = max(hi[k], t[i, k])
        }
      }
    }
    func range(_ k: Int) -> ClosedRange<Double> {
      guard lo[k] < hi[k] else { return (lo[k].isFinite ? lo[k] - 1 : -1)...(lo[k].isFinite ? lo[k] + 1 : 1) }
      let pad = 0.05 * (hi[k] - lo[k])
      return (lo[k] - pad)...(hi[k] + pad)
    }
    return (range(0), range(1))
  }
}

extension Tensor where Scalar == Double {
  /// Rows as (x, y) pairs (columns 0 and 1).
  var points2D: [(x: Double, y: Double)] {
    (0..<rows).map { (self[$0, 0], self[$0, 1]) }
  }
}
