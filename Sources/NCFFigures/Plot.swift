/// One panel: a pair of axes with any number of series, a title, axis
/// titles and a legend. Build it up, then render it with ``svg()`` or
/// ``write(to:)``, or put several side by side in a ``Figure``.
///
/// ```swift
/// var plot = Plot(title: "source & target", xLabel: "x₁", yLabel: "x₂")
/// plot.equalAspect = true
/// plot.scatter(x: xs, y: ys, label: "source")
/// plot.segments(from: starts, to: ends, label: "x → T(x)")
/// try plot.write(to: "paths.svg")
/// ```
///
/// Series colours default to the colour-blind-friendly ``PlotColor/palette``
/// in the order the series were added. Values that cannot be drawn (NaN,
/// ±Inf, or ≤ 0 on a log axis) are skipped or rejected according to
/// ``nonFinite``.
public struct Plot: Sendable {
  /// What to do with values that cannot be drawn.
  public enum NonFinitePolicy: Sendable, Equatable {
    /// Leave those points out (a line is broken there) and note how many in
    /// an XML comment in the output.
    case skip
    /// Make rendering throw ``FigureError/unplottableValue(series:index:reason:)``.
    case reject
  }

  /// Where the legend box goes, inside the plotting area.
  public enum LegendPosition: Sendable, Equatable {
    case topRight, topLeft, bottomRight, bottomLeft, hidden
  }

  /// What a series draws.
  public enum Kind: Sendable, Equatable {
    /// One circle per point.
    case scatter
    /// One straight segment per (x₀, y₀) → (x₁, y₁) pair.
    case segments
    /// A polyline through the points in order.
    case line
  }

  /// One data series. Coordinates are stored as given; checks happen when
  /// the plot is rendered.
  public struct Series: Sendable {
    public var kind: Kind
    /// The legend text; unlabelled series get no legend entry.
    public var label: String?
    /// nil takes the next palette colour.
    public var color: PlotColor?
    /// x coordinates; for segments, x₀ and x₁ alternate.
    public var x: [Double]
    /// y coordinates; for segments, y₀ and y₁ alternate.
    public var y: [Double]
    /// Circle radius (scatter) or stroke width (segments, lines), in pixels.
    public var size: Double
    /// 0 (invisible) … 1 (opaque).
    public var opacity: Double
    /// Draw lines dashed.
    public var dashed: Bool
  }

  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  public var xScale: AxisScale = .linear
  public var yScale: AxisScale = .linear
  /// Fixed axis ranges; nil fits the data (with a small margin; log axes are
  /// widened to whole decades).
  public var xRange: ClosedRange<Double>?
  public var yRange: ClosedRange<Double>?
  /// Use the same data-per-pixel scale on both axes (for point clouds, so
  /// circles look round and distances are not distorted). Linear axes only.
  public var equalAspect = false
  public var legend: LegendPosition = .topRight
  /// Draw light grid lines at the major ticks.
  public var grid = true
  public var nonFinite: NonFinitePolicy = .skip
  /// Panel size in pixels.
  public var width: Double
  public var height: Double
  /// The series, in drawing order (later ones on top).
  public private(set) var series: [Series] = []

  /// An empty panel.
  /// - Precondition: width and height are at least 120 pixels.
  public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
              width: Double = 420, height: Double = 380) {
    precondition(width >= 120 && height >= 120, "a plot needs at least 120×120 pixels")
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.width = width
    self.height = height
  }

  // MARK: - Adding series

  /// Adds a scatter series of the points (x[i], y[i]).
  /// - Precondition: `x.count == y.count`; radius > 0; opacity in 0…1.
  public mutating func scatter(
    x: [Double], y: [Double], label: String? = nil, color: PlotColor? = nil,
    radius: Double = 2.5, opacity: Double = 0.7
  ) {
    precondition(x.count == y.count, "scatter: \(x.count) x values but \(y.count) y values")
    precondition(radius > 0 && (0...1).contains(opacity), "scatter: radius must be > 0 and opacity in 0…1")
    series.append(Series(kind: .scatter, label: label, color: color, x: x, y: y, size: radius,
                         opacity: opacity, dashed: false))
  }

  /// Adds a scatter series of points given as pairs.
  public mutating func scatter(
    points: [(x: Double, y: Double)], label: String? = nil, color: PlotColor? = nil,
    radius: Double = 2.5, opacity: Double = 0.7
  ) {
    scatter(x: points.map(\.x), y: points.map(\.y), label: label, color: color, radius: radius, opacity: opacity)
  }

  /// Adds straight segments (x₀, y₀) → (x₁, y₁), e.g. transport paths x → T(x).
  /// - Precondition: width > 0; opacity in 0…1.
  public mutating func segments(
    _ segments: [(x0: Double, y0: Double, x1: Double, y1: Double)], label: String? = nil,
    color: PlotColor? = nil, width: Double = 0.8, opacity: Double = 0.5
  ) {
    precondition(width > 0 && (0...1).contains(opacity), "segments: width must be > 0 and opacity in 0…1")
    var xs: [Double] = [], ys: [Double] = []
    xs.reserveCapacity(2 * segments.count)
    ys.reserveCapacity(2 * segments.count)
    for s in segments {
      xs.append(s.x0); xs.append(s.x1)
      ys.append(s.y0); ys.append(s.y1)
    }
    series.append(Series(kind: .segments, label: label, color: color, x: xs, y: ys, size: width,
                         opacity: opacity, dashed: false))
  }

  /// Adds segments from each `from[i]` to `to[i]`.
  /// - Precondition: `from.count == to.count`.
  public mutating func segments(
    from: [(x: Double, y: Double)], to: [(x: Double, y: Double)], label: String? = nil,
    color: PlotColor? = nil, width: Double = 0.8, opacity: Double = 0.5
  ) {
    precondition(from.count == to.count, "segments: \(from.count) start points but \(to.count) end points")
    segments(zip(from, to).map { (x0: $0.x, y0: $0.y, x1: $1.x, y1: $1.y) }, label: label, color: color,
             width: width, opacity: opacity)
  }

  /// Adds a polyline through (x[i], y[i]) in order (e.g. a loss curve).
  /// Undrawable points break the line rather than joining across them.
  /// - Precondition: `x.count == y.count`; width > 0; opacity in 0…1.
  public mutating func line(
    x: [Double], y: [Double], label: String? = nil, color: PlotColor? = nil,
    width: Double = 1.5, opacity: Double = 1, dashed: Bool = false
  ) {
    precondition(x.count == y.count, "line: \(x.count) x values but \(y.count) y values")
    precondition(width > 0 && (0...1).contains(opacity), "line: width must be > 0 and opacity in 0…1")
    series.append(Series(kind: .line, label: label, color: color, x: x, y: y, size: width,
                         opacity: opacity, dashed: dashed))
  }

  /// Adds a polyline of `y` against its index 0, 1, 2, … (iterations).
  public mutating func line(
    y: [Double], label: String? = nil, color: PlotColor? = nil, width: Double = 1.5,
    opacity: Double = 1, dashed: Bool = false
  ) {
    line(x: y.indices.map(Double.init), y: y, label: label, color: color, width: width, opacity: opacity,
         dashed: dashed)
  }

  /// The colour series `index` is drawn in.
  public func color(ofSeries index: Int) -> PlotColor {
    series[index].color ?? PlotColor.palette[index % PlotColor.palette.count]
  }

  // MARK: - Output

  /// The panel as a standalone SVG document.
  /// - Throws: ``FigureError`` (see ``Figure/svg()``).
  /// - Complexity: O(total number of points).
  public func svg() throws -> String {
    try Figure(panels: [self]).svg()
  }

  /// Writes ``svg()`` to `path` atomically (temporary file, then rename).
  /// - Throws: ``FigureError``.
  public func write(to path: String) throws {
    try Figure(panels: [self]).write(to: path)
  }
}
