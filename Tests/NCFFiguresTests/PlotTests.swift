import Foundation
import Testing
import NCFFigures

@Suite struct PlotTests {
  /// A transport-style panel: source, target and n paths between them.
  func pathsPlot(n: Int) -> Plot {
    var plot = Plot(title: "paths", xLabel: "x₁", yLabel: "x₂")
    plot.equalAspect = true
    let from = (0..<n).map { k in (x: cos(Double(k)), y: sin(Double(k))) }
    let to = from.map { (x: 2 * $0.x + 0.5, y: 2 * $0.y) }
    plot.scatter(points: from, label: "source")
    plot.scatter(points: to, label: "target")
    plot.segments(from: from, to: to, label: "x → T(x)", color: .gray)
    return plot
  }

  @Test func svgIsWellFormedWithOneLinePerSegment() throws {
    let svg = try pathsPlot(n: 37).svg()
    let (root, _) = try parseXML(svg)
    #expect(root.name == "svg" && root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
    let groups = root.elements(withClass: "segments")
    #expect(groups.count == 1)
    #expect(groups[0].elements("line").count == 37)
    // Nothing else uses <line> (ticks, grid and legend swatches are paths).
    #expect(root.elements("line").count == 37)
    #expect(root.elements(withClass: "scatter").map { $0.elements("circle").count } == [37, 37])
  }

  @Test func legendListsLabelledSeriesOnly() throws {
    var plot = pathsPlot(n: 5)
    plot.line(x: [0, 1], y: [0, 1])  // unlabelled: no entry
    let (root, _) = try parseXML(try plot.svg())
    let legend = try #require(root.elements(withClass: "legend").first)
    let entries = legend.elements(withClass: "legend-entry").map { $0.elements("text").first?.text ?? "" }
    #expect(entries == ["source", "target", "x → T(x)"])

    plot.legend = .hidden
    #expect(try parseXML(try plot.svg()).root.elements(withClass: "legend").isEmpty)
  }

  @Test func textIsEscaped() throws {
    let nasty = "a < b & \"c\" 'd' > e ]]> <!-- x -->"
    var plot = Plot(title: nasty, xLabel: "tab\there", yLabel: "bell\u{7}")
    plot.scatter(x: [0, 1], y: [1, 0], label: nasty)
    let svg = try plot.svg()
    let (root, _) = try parseXML(svg)
    #expect(root.elements(withClass: "title").first?.text == nasty)
    #expect(root.elements(withClass: "legend-entry").first?.allText == nasty)
    #expect(root.elements(withClass: "axis-title").map(\.text) == ["tab here", "bell "])
    #expect(!svg.contains("a < b"))
  }

  @Test func logScaleLossCurvesSpanWholeDecades() throws {
    var plot = Plot(title: "loss", xLabel: "iteration", yLabel: "loss")
    plot.yScale = .log10
    let loss = (0..<200).map { 3 * Foundation.exp(-Double($0) / 25) + 1e-3 }
    plot.line(y: loss, label: "train")
    plot.line(y: loss.map { $0 * 1.3 }, label: "validation", dashed: true)
    let (root, _) = try parseXML(try plot.svg())
    let labels = root.elements(withClass: "tick-labels").flatMap { $0.elements("text").map(\.text) }
    for decade in ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"] { #expect(labels.contains(decade), "\(decade) in \(labels)") }
    #expect(root.elements(withClass: "line").flatMap { $0.elements("polyline") }.count == 2)
  }

  @Test func nonPositiveOnLogAxisIsSkippedOrRejected() throws {
    var plot = Plot()
    plot.yScale = .log10
    plot.line(y: [1, 0.1, 0, 0.01, 0.001], label: "loss")
    let (root, comments) = try parseXML(try plot.svg())
    // The zero breaks the curve into two runs.
    #expect(root.elements("polyline").count == 2)
    #expect(comments.contains { $0.contains("'loss': 1 points skipped") })
    plot.nonFinite = .reject
    #expect(throws: FigureError.unplottableValue(series: "series 'loss'", index: 2, reason: "≤ 0 on the log y axis")) {
      try plot.svg()
    }
  }

  @Test func nanIsSkippedOrRejectedWithAClearMessage() throws {
    var plot = Plot()
    plot.scatter(x: [0, 1, 2, .nan, 4], y: [0, 1, 2, 3, 4], label: "pts")
    plot.segments([(x0: 0, y0: 0, x1: 1, y1: .infinity), (x0: 0, y0: 0, x1: 1, y1: 1)])
    let (root, comments) = try parseXML(try plot.svg())
    #expect(root.elements(withClass: "scatter").first?.elements("circle").count == 4)
    #expect(root.elements(withClass: "segments").first?.elements("line").count == 1)
    #expect(comments.count == 2)
    plot.nonFinite = .reject
    let e = #expect(throws: FigureError.self) { try plot.svg() }
    #expect(e == .unplottableValue(series: "series 'pts'", index: 3, reason: "NaN"))
    #expect(e?.description == "cannot plot series 'pts': point 3 (0-based) is NaN")
  }

  @Test func fixedRangesAreValidated() throws {
    var plot = Plot()
    plot.scatter(x: [1], y: [1])
    plot.xRange = 0...10
    plot.yRange = -1...1
    _ = try parseXML(try plot.svg())
    plot.yScale = .log10
    #expect(throws: FigureError.self) { try plot.svg() }
  }

  @Test func emptyAndDegeneratePlotsStillRender() throws {
    _ = try parseXML(try Plot(title: "empty").svg())
    var single = Plot()
    single.scatter(x: [3], y: [3])
    _ = try parseXML(try single.svg())
  }

  @Test func defaultColoursFollowThePalette() throws {
    var plot = Plot()
    for k in 0..<3 { plot.scatter(x: [Double(k)], y: [0], label: "s\(k)") }
    plot.scatter(x: [5], y: [5], color: PlotColor(hex: "#123456"))
    let (root, _) = try parseXML(try plot.svg())
    let fills = root.elements(withClass: "scatter").map { $0.attributes["fill"] ?? "" }
    #expect(fills == ["#0072b2", "#d55e00", "#009e73", "#123456"])
    #expect(PlotColor(hex: "zz") == nil && PlotColor.palette.count == 8)
  }
}
