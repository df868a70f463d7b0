import Foundation
import NCFTensor

extension Cost {
  /// The n×m matrix of costs c(xᵢ, yⱼ) for the discrete solvers, computed
  /// from coordinate differences (no ‖x‖² + ‖y‖² − 2⟨x, y⟩ cancellation), on
  /// all cores for large inputs.
  /// - Precondition: `x.columns == y.columns`.
  /// - Complexity: O(n·m·d) time, O(n·m) memory.
  public func matrix(_ x: Tensor<Double>, _ y: Tensor<Double>) -> Tensor<Double> {
    precondition(x.columns == y.columns, "cost matrix: dimensions differ (\(x.columns) vs \(y.columns))")
    let n = x.rows, m = y.rows, d = x.columns
    var out = Tensor<Double>.zeros(rows: n, columns: m)
    if n == 0 || m == 0 { return out }
    let cost = self
    x.scalars.withUnsafeBufferPointer { xp in
      y.scalars.withUnsafeBufferPointer { yp in
        out.scalars.withUnsafeMutableBufferPointer { op in
          nonisolated(unsafe) let xp = xp, yp = yp, op = op
          Parallel.ranges(n, minimumWork: n * m * max(d, 1), grain: 1 << 18) { lo, hi in
            for i in lo..<hi {
              let xi = xp.baseAddress! + i * d
              let row = op.baseAddress! + i * m
              switch cost {
              case .quadratic:
                for j in 0..<m { row[j] = 0.5 * squaredDistance(xi, yp.baseAddress! + j * d, d) }
              case .sqeuclidean:
                for j in 0..<m { row[j] = squaredDistance(xi, yp.baseAddress! + j * d, d) }
              case .euclidean:
                for j in 0..<m { row[j] = squaredDistance(xi, yp.baseAddress! + j * d, d).squareRoot() }
              case .lp(let p):
                for j in 0..<m { row[j] = powerSum(xi, yp.baseAddress! + j * d, d, p) }
              case .pnormp(let p):
                for j in 0..<m { row[j] = powerSum(xi, yp.baseAddress! + j * d, d, p) / p }
              }
            }
          }
        }
      }
    }
    return out
  }
}

/// ‖x − y‖² over d coordinates.
@inline(__always)
func squaredDistance(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ d: Int) -> Double {
  var s = 0.0
  for k in 0..<d { let t = x[k] - y[k]; s += t * t }
  return s
}

/// Σₖ |xₖ − yₖ|ᵖ over d coordinates.
@inline(__always)
func powerSum(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ d: Int, _ p: Double) -> Double {
  var s = 0.0
  for k in 0..<d { s += Double.pow(abs(x[k] - y[k]), p) }
  return s
}
