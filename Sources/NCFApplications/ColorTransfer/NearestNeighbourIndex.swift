import Foundation
import NCFTensor

/// Exact nearest-neighbour queries among a few thousand points of the unit
/// cube [0, 1]³ (colours), through a uniform grid of cells.
///
/// A query visits the cells in growing cubic shells around its own cell and
/// stops once no unvisited cell can hold a closer point, so it touches only
/// a handful of points for data spread over the cube. Points outside the
/// cube are allowed (they are filed in the nearest boundary cell); ties go to
/// the lowest index.
struct NearestNeighbourIndex: Sendable {
  let points: Tensor<Double>
  let cellsPerAxis: Int
  /// Point indices sorted by cell, and where each cell's run starts (cells + 1 entries).
  private let order: [Int]
  private let starts: [Int]

  /// - Precondition: at least one point, three columns.
  init(_ points: Tensor<Double>) {
    precondition(points.rows >= 1 && points.columns == 3, "nearest-neighbour index: need n ≥ 1 points in 3-D")
    self.points = points
    // About two points per cell.
    let g = max(1, min(64, Int(Foundation.cbrt(Double(points.rows) / 2).rounded(.up))))
    let g3 = g * g * g
    cellsPerAxis = g
    var counts = [Int](repeating: 0, count: g3 + 1)
    let cell = (0..<points.rows).map { i in Self.cell(points[i, 0], points[i, 1], points[i, 2], g) }
    for c in cell { counts[c + 1] += 1 }
    for c in 0..<g3 { counts[c + 1] += counts[c] }
    var fill = counts
    var order = [Int](repeating: 0, count: points.rows)
    for (i, c) in cell.enumerated() {
      order[fill[c]] = i
      fill[c] += 1
    }
    self.order = order
    starts = counts
  }

  @inline(__always)
  static func axisCell(_ v: Double, _ g: Int) -> Int {
    v <= 0 ? 0 : min(Int(v * Double(g)), g - 1)
  }

  @inline(__always)
  static func cell(_ r: Double, _ gr: Double, _ b: Double, _ g: Int) -> Int {
    (axisCell(r, g) * g + axisCell(gr, g)) * g + axisCell(b, g)
  }

  /// The index of the point nearest to (x, y, z) (Euclidean).
  func nearest(_ x: Double, _ y: Double, _ z: Double) -> Int {
    let g = cellsPerAxis
    let (cx, cy, cz) = (Self.axisCell(x, g), Self.axisCell(y, g), Self.axisCell(z, g))
    let h = 1 / Double(g)
    var best = -1, bestDistance = Double.infinity
    var radius = 0
    while radius < g {
      for ix in max(0, cx - radius)...min(g - 1, cx + radius) {
        for iy in max(0, cy - radius)...min(g - 1, cy + radius) {
          for iz in max(0, cz - radius)...min(g - 1, cz + radius) {
            // Only the shell at Chebyshev distance `radius`.
            if max(abs(ix - cx), abs(iy - cy), abs(iz - cz)) != radius { continue }
            let c = (ix * g + iy) * g + iz
            for k in starts[c]..<starts[c + 1] {
              let i = order[k]
              let dx = points[i, 0] - x, dy = points[i, 1] - y, dz = points[i, 2] - z
              let d = dx * dx + dy * dy + dz * dz
              if d < bestDistance || (d == bestDistance && i < best) { best = i; bestDistance = d }
            }
          }
        }
      }
      // Every point in an unvisited cell is at least `radius · h` away from
      // the query's cell, hence from a query inside it. (A query outside the
      // cube sits in a boundary cell's extension and the bound still holds,
      // being measured from the clamped cell.)
      if best >= 0 {
        let reach = Double(radius) * h + distanceToCellBoundary(x, y, z, cx, cy, cz, h)
        if reach * reach >= bestDistance { return best }
      }
      radius += 1
    }
    if best >= 0 { return best }
    // Unreachable for a non-empty index, kept for safety.
    var i0 = 0
    var d0 = Double.infinity
    for i in 0..<points.rows {
      let dx = points[i, 0] - x, dy = points[i, 1] - y, dz = points[i, 2] - z
      let d = dx * dx + dy * dy + dz * dz
      if d < d0 { d0 = d; i0 = i }
    }
    return i0
  }

  /// The distance from the query to the nearest face of its own cell
  /// (0 when the query lies outside the cube along some axis).
  @inline(__always)
  private func distanceToCellBoundary(
    _ x: Double, _ y: Double, _ z: Double, _ cx: Int, _ cy: Int, _ cz: Int, _ h: Double
  ) -> Double {
    func axis(_ v: Double, _ c: Int) -> Double {
      let lo = Double(c) * h, hi = Double(c + 1) * h
      if v < lo || v > hi { return 0 }
      return min(v - lo, hi - v)
    }
    return min(axis(x, cx), axis(y, cy), axis(z, cz))
  }
}
