import Foundation

/// Maps data values on one axis to pixels.
struct AxisMap {
  let scale: AxisScale
  /// The visible range in data values.
  let lo, hi: Double
  /// Pixel positions of `lo` and `hi` (for y, `lo` is at the bottom).
  let pixelLo, pixelHi: Double

  @inline(__always)
  func transform(_ v: Double) -> Double { scale == .log10 ? Foundation.log10(v) : v }

  @inline(__always)
  func pixel(_ v: Double) -> Double {
    let t0 = transform(lo), t1 = transform(hi)
    return pixelLo + (transform(v) - t0) / (t1 - t0) * (pixelHi - pixelLo)
  }

  func ticks(target: Int) -> [Tick] {
    scale == .log10 ? Ticks.log10(lo: lo, hi: hi) : Ticks.linear(lo: lo, hi: hi, target: target)
  }
}

extension Plot {
  /// Why a point cannot be drawn, or nil when it can.
  func problem(x: Double, y: Double) -> String? {
    if x.isNaN || y.isNaN { return "NaN" }
    if !x.isFinite || !y.isFinite { return "infinite" }
    if xScale == .log10 && x <= 0 { return "≤ 0 on the log x axis" }
    if yScale == .log10 && y <= 0 { return "≤ 0 on the log y axis" }
    return nil
  }

  /// For each series, which points (scatter, line) or segments can be drawn.
  /// - Throws: ``FigureError/unplottableValue`` under the `.reject` policy.
  func drawableMasks() throws -> [[Bool]] {
    try series.enumerated().map { (k, s) in
      let name = s.label.map { "series '\($0)'" } ?? "series \(k)"
      let items = s.kind == .segments ? s.x.count / 2 : s.x.count
      return try (0..<items).map { i in
        let problems: [String?] = s.kind == .segments
          ? [problem(x: s.x[2 * i], y: s.y[2 * i]), problem(x: s.x[2 * i + 1], y: s.y[2 * i + 1])]
          : [problem(x: s.x[i], y: s.y[i])]
        if let reason = problems.compactMap({ $0 }).first {
          if nonFinite == .reject { throw FigureError.unplottableValue(series: name, index: i, reason: reason) }
          return false
        }
        return true
      }
    }
  }

  /// The visible range of one axis: the fixed one, or the data's with a margin.
  func axisRange(fixed: ClosedRange<Double>?, scale: AxisScale, values: [Double], name: String) throws
    -> (Double, Double)
  {
    if let r = fixed {
      guard r.lowerBound.isFinite, r.upperBound.isFinite, r.lowerBound < r.upperBound else {
        throw FigureError.invalidRange(axis: name, reason: "\(r) is empty or not finite")
      }
      guard scale == .linear || r.lowerBound > 0 else {
        throw FigureError.invalidRange(axis: name, reason: "\(r) includes values ≤ 0 on a log axis")
      }
      return (r.lowerBound, r.upperBound)
    }
    guard var lo = values.min(), var hi = values.max() else {
      return scale == .log10 ? (1, 10) : (0, 1)
    }
    if scale == .log10 {
      var tlo = Foundation.log10(lo), thi = Foundation.log10(hi)
      if thi - tlo >= 1 {
        // Whole decades: loss curves read best against full 10ⁿ gridlines.
        tlo = tlo.rounded(.down)
        thi = thi.rounded(.up)
      } else {
        let pad = Swift.max(0.04 * (thi - tlo), 0.05)
        tlo -= pad
        thi += pad
      }
      return (Foundation.pow(10, tlo), Foundation.pow(10, thi))
    }
    if hi - lo <= 0 {
      let pad = Swift.max(abs(lo) * 0.1, 0.5)
      return (lo - pad, hi + pad)
    }
    let pad = 0.04 * (hi - lo)
    lo -= pad
    hi += pad
    return (lo, hi)
  }
}

// MARK: - Panel rendering

/// Renders one panel into SVG at a given offset.
struct PanelRenderer {
  let plot: Plot
  /// Unique within the document (clip-path ids).
  let id: Int

  // Typography, in pixels.
  static let tickFont = 11.0, labelFont = 12.0, titleFont = 14.0
  /// Rough average glyph width / font size for sans-serif text, for layout.
  static let glyphWidth = 0.6

  func render(into out: inout String, originX: Double, originY: Double) throws {
    let p = plot
    let masks = try p.drawableMasks()

    // Data ranges over drawable values only.
    var xs: [Double] = [], ys: [Double] = []
    for (s, mask) in zip(p.series, masks) {
      let perItem = s.kind == .segments ? 2 : 1
      for (i, ok) in mask.enumerated() where ok {
        for k in 0..<perItem {
          xs.append(s.x[perItem * i + k])
          ys.append(s.y[perItem * i + k])
        }
      }
    }
    var (xlo, xhi) = try p.axisRange(fixed: p.xRange, scale: p.xScale, values: xs, name: "x")
    var (ylo, yhi) = try p.axisRange(fixed: p.yRange, scale: p.yScale, values: ys, name: "y")

    // Margins: room for tick labels and axis titles.
    let left = 58.0 + (p.yLabel == nil ? 0 : 18)
    let right = 14.0
    let top = p.title == nil ? 14.0 : 34
    let bottom = 32.0 + (p.xLabel == nil ? 0 : 18)
    let plotW = p.width - left - right, plotH = p.height - top - bottom

    if p.equalAspect && p.xScale == .linear && p.yScale == .linear {
      // Widen whichever axis shows less data per pixel, about its centre.
      let ux = (xhi - xlo) / plotW, uy = (yhi - ylo) / plotH
      if ux > uy {
        let c = (ylo + yhi) / 2, half = ux * plotH / 2
        (ylo, yhi) = (c - half, c + half)
      } else {
        let c = (xlo + xhi) / 2, half = uy * plotW / 2
        (xlo, xhi) = (c - half, c + half)
      }
    }
    let xAxis = AxisMap(scale: p.xScale, lo: xlo, hi: xhi, pixelLo: left, pixelHi: left + plotW)
    let yAxis = AxisMap(scale: p.yScale, lo: ylo, hi: yhi, pixelLo: top + plotH, pixelHi: top)
    let n = SVGText.number

    out += "<g class=\"panel\" transform=\"translate(\(n(originX)),\(n(originY)))\">\n"
    out += "<clipPath id=\"ncf-clip-\(id)\"><rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\"/></clipPath>\n"

    // Grid, ticks and tick labels.
    // About one labelled tick per 70 px across and 50 px up, never fewer than 3.
    let xTicks = xAxis.ticks(target: Swift.max(3, Int(plotW / 70)))
    let yTicks = yAxis.ticks(target: Swift.max(3, Int(plotH / 50)))
    var grid = "", marks = "", labels = ""
    let bottomY = top + plotH
    for t in xTicks {
      let x = xAxis.pixel(t.value)
      guard x >= left - 0.5 && x <= left + plotW + 0.5 else { continue }
      if t.isMajor && p.grid { grid += "M\(n(x)) \(n(top))V\(n(bottomY))" }
      marks += "M\(n(x)) \(n(bottomY))v\(t.isMajor ? 5 : 3)"
      if !t.label.isEmpty {
        labels += "<text x=\"\(n(x))\" y=\"\(n(bottomY + 17))\" text-anchor=\"middle\">\(SVGText.escaped(t.label))</text>\n"
      }
    }
    for t in yTicks {
      let y = yAxis.pixel(t.value)
      guard y >= top - 0.5 && y <= bottomY + 0.5 else { continue }
      if t.isMajor && p.grid { grid += "M\(n(left)) \(n(y))H\(n(left + plotW))" }
      marks += "M\(n(left)) \(n(y))h\(t.isMajor ? -5 : -3)"
      if !t.label.isEmpty {
        labels += "<text x=\"\(n(left - 8))\" y=\"\(n(y))\" dy=\"0.35em\" text-anchor=\"end\">\(SVGText.escaped(t.label))</text>\n"
      }
    }
    if !grid.isEmpty { out += "<path class=\"grid\" d=\"\(grid)\" stroke=\"#e6e6e6\" stroke-width=\"1\" fill=\"none\"/>\n" }
    out += "<path class=\"ticks\" d=\"\(marks)\" stroke=\"#333333\" stroke-width=\"1\" fill=\"none\"/>\n"
    out += "<g class=\"tick-labels\" font-size=\"\(n(Self.tickFont))\" fill=\"#333333\">\n\(labels)</g>\n"

    // Series, clipped to the plotting area.
    for (k, (s, mask)) in zip(p.series, masks).enumerated() {
      renderSeries(s, index: k, mask: mask, x: xAxis, y: yAxis, into: &out)
    }

    out += "<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotW))\" height=\"\(n(plotH))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n"

    // Titles.
    if let title = p.title {
      out += "<text class=\"title\" x=\"\(n(left + plotW / 2))\" y=\"\(n(top - 12))\" text-anchor=\"middle\" font-size=\"\(n(Self.titleFont))\" font-weight=\"bold\">\(SVGText.escaped(title))</text>\n"
    }
    if let label = p.xLabel {
      out += "<text class=\"axis-title\" x=\"\(n(left + plotW / 2))\" y=\"\(n(bottomY + 38))\" text-anchor=\"middle\">\(SVGText.escaped(label))</text>\n"
    }
    if let label = p.yLabel {
      let cx = 16.0, cy = top + plotH / 2
      out += "<text class=\"axis-title\" x=\"\(n(cx))\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 \(n(cx)) \(n(cy)))\">\(SVGText.escaped(label))</text>\n"
    }

    renderLegend(left: left, top: top, plotW: plotW, plotH: plotH, into: &out)
    out += "</g>\n"
  }

  private func renderSeries(_ s: Plot.Series, index k: Int, mask: [Bool], x: AxisMap, y: AxisMap, into out: inout String) {
    let n = SVGText.number
    let color = plot.color(ofSeries: k).hex
    let skipped = mask.lazy.filter { !$0 }.count
    if skipped > 0 {
      let name = s.label.map { "'\(SVGText.commentSafe($0))'" } ?? "\(k)"
      let what = s.kind == .segments ? "segments" : "points"
      out += "<!-- series \(name): \(skipped) \(what) skipped (NaN, Inf, or ≤ 0 on a log axis) -->\n"
    }
    let titleElement = s.label.map { "<title>\(SVGText.escaped($0))</title>" } ?? ""
    switch s.kind {
    case .scatter:
      out += "<g class=\"series scatter\" clip-path=\"url(#ncf-clip-\(id))\" fill=\"\(color)\" fill-opacity=\"\(n(s.opacity))\" stroke=\"none\">\(titleElement)\n"
      let r = n(s.size)
      for i in 0..<s.x.count where mask[i] {
        out += "<circle cx=\"\(n(x.pixel(s.x[i])))\" cy=\"\(n(y.pixel(s.y[i])))\" r=\"\(r)\"/>\n"
      }
      out += "</g>\n"
    case .segments:
      out += "<g class=\"series segments\" clip-path=\"url(#ncf-clip-\(id))\" stroke=\"\(color)\" stroke-opacity=\"\(n(s.opacity))\" stroke-width=\"\(n(s.size))\" stroke-linecap=\"round\">\(titleElement)\n"
      for i in 0..<mask.count where mask[i] {
        out += "<line x1=\"\(n(x.pixel(s.x[2 * i])))\" y1=\"\(n(y.pixel(s.y[2 * i])))\" x2=\"\(n(x.pixel(s.x[2 * i + 1])))\" y2=\"\(n(y.pixel(s.y[2 * i + 1])))\"/>\n"
      }
      out += "</g>\n"
    case .line:
      let dash = s.dashed ? " stroke-dasharray=\"\(n(4 * s.size)) \(n(3 * s.size))\"" : ""
      out += "<g class=\"series line\" clip-path=\"url(#ncf-clip-\(id))\" fill=\"none\" stroke=\"\(color)\" stroke-opacity=\"\(n(s.opacity))\" stroke-width=\"\(n(s.size))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash)>\(titleElement)\n"
      // One polyline per run of drawable points: a gap marks skipped values.
      var run: [(Double, Double)] = []
      func flush() {
        if run.count >= 2 {
          out += "<polyline points=\"" + run.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
        } else if let (px, py) = run.first {
          // An isolated point would vanish as a one-vertex line; mark it with a dot.
          out += "<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"\(n(s.size))\" fill=\"\(color)\" stroke=\"none\"/>\n"
        }
        run.removeAll(keepingCapacity: true)
      }
      for i in 0..<s.x.count {
        if mask[i] { run.append((x.pixel(s.x[i]), y.pixel(s.y[i]))) } else { flush() }
      }
      flush()
      out += "</g>\n"
    }
  }

  private func renderLegend(left: Double, top: Double, plotW: Double, plotH: Double, into out: inout String) {
    guard plot.legend != .hidden else { return }
    let entries = plot.series.enumerated().compactMap { k, s in
      s.label.flatMap { $0.isEmpty ? nil : (k, s, $0) }
    }
    guard !entries.isEmpty else { return }
    let n = SVGText.number
    let font = Self.tickFont, rowH = 17.0, pad = 6.0, swatch = 18.0, inset = 8.0
    let textW = Double(entries.map { $0.2.count }.max()!) * font * Self.glyphWidth
    let boxW = pad + swatch + 6 + textW + pad, boxH = 2 * pad + rowH * Double(entries.count) - 3
    let boxX: Double, boxY: Double
    switch plot.legend {
    case .topLeft, .bottomLeft: boxX = left + inset
    default: boxX = left + plotW - inset - boxW
    }
    switch plot.legend {
    case .bottomLeft, .bottomRight: boxY = top + plotH - inset - boxH
    default: boxY = top + inset
    }
    out += "<g class=\"legend\" font-size=\"\(n(font))\">\n"
    out += "<rect x=\"\(n(boxX))\" y=\"\(n(boxY))\" width=\"\(n(boxW))\" height=\"\(n(boxH))\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbbbbb\" stroke-width=\"0.8\" rx=\"3\"/>\n"
    for (row, (k, s, label)) in entries.enumerated() {
      let cy = boxY + pad + rowH * (Double(row) + 0.5) - 1.5
      let sx = boxX + pad
      let color = plot.color(ofSeries: k).hex
      out += "<g class=\"legend-entry\">"
      switch s.kind {
      case .scatter:
        out += "<circle cx=\"\(n(sx + swatch / 2))\" cy=\"\(n(cy))\" r=\"\(n(Swift.min(Swift.max(s.size, 2.5), 5)))\" fill=\"\(color)\" fill-opacity=\"\(n(Swift.max(s.opacity, 0.6)))\"/>"
      case .segments, .line:
        let dash = s.dashed ? " stroke-dasharray=\"4 3\"" : ""
        out += "<path d=\"M\(n(sx)) \(n(cy))h\(n(swatch))\" stroke=\"\(color)\" stroke-width=\"\(n(Swift.max(s.size, 1.5)))\" stroke-opacity=\"\(n(Swift.max(s.opacity, 0.6)))\"\(dash)/>"
      }
      out += "<text x=\"\(n(sx + swatch + 6))\" y=\"\(n(cy))\" dy=\"0.35em\">\(SVGText.escaped(label))</text></g>\n"
    }
    out += "</g>\n"
  }
}
