/// Why a figure could not be rendered or written. `description` is one line.
public enum FigureError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A value that cannot be drawn (NaN, ±Inf, or ≤ 0 on a log axis) in a
  /// plot whose policy is ``Plot/NonFinitePolicy/reject``. `index` is the
  /// 0-based point (or segment) index within the series.
  case unplottableValue(series: String, index: Int, reason: String)
  /// A fixed axis range that is empty, not finite, or not positive on a log axis.
  case invalidRange(axis: String, reason: String)
  /// The output file could not be written.
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unplottableValue(let series, let index, let reason):
      return "cannot plot \(series): point \(index) (0-based) is \(reason)"
    case .invalidRange(let axis, let reason):
      return "invalid \(axis) range: \(reason)"
    case .unwritable(let path, let reason):
      return "\(path): cannot write (\(reason))"
    }
  }
}
