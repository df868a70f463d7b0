import Foundation
import NCFFileSystem

/// Several ``Plot`` panels laid out in a grid (by default one row, side by
/// side) in one SVG document, with an optional overall title.
///
/// ```swift
/// let figure = Figure(panels: [data, forward, backward, paths], title: "NCF on moons")
/// try figure.write(to: "moons.svg")
/// ```
public struct Figure: Sendable {
  /// The panels, filled row by row.
  public var panels: [Plot]
  /// Panels per row; nil puts them all in one row.
  public var columns: Int?
  /// A title above all panels.
  public var title: String?

  /// A figure of `panels`.
  /// - Precondition: `columns`, when given, is at least 1.
  public init(panels: [Plot] = [], columns: Int? = nil, title: String? = nil) {
    precondition(columns.map { $0 >= 1 } ?? true, "a figure needs at least one column")
    self.panels = panels
    self.columns = columns
    self.title = title
  }

  /// Appends a panel.
  public mutating func add(_ panel: Plot) { panels.append(panel) }

  /// The figure as a standalone SVG 1.1 document (UTF-8).
  ///
  /// Each grid cell is as large as the largest panel.
  /// - Throws: ``FigureError`` when a panel whose policy is `.reject` holds
  ///   an undrawable value, or a fixed axis range is invalid.
  /// - Complexity: O(total number of points); the output is about 40 bytes
  ///   per scatter point and 60 per segment.
  public func svg() throws -> String {
    let perRow = Swift.max(1, columns ?? panels.count)
    let rows = (panels.count + perRow - 1) / perRow
    let cellW = panels.map(\.width).max() ?? 200, cellH = panels.map(\.height).max() ?? 100
    let titleBand = title == nil ? 0.0 : 32
    let width = cellW * Double(Swift.min(perRow, Swift.max(panels.count, 1)))
    let height = titleBand + cellH * Double(Swift.max(rows, 1))
    let n = SVGText.number

    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"\(n(PanelRenderer.labelFont))\" fill=\"#222222\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    if let title {
      out += "<text class=\"figure-title\" x=\"\(n(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(SVGText.escaped(title))</text>\n"
    }
    for (k, panel) in panels.enumerated() {
      let col = k % perRow, row = k / perRow
      // Centre smaller panels in their cell.
      let x = Double(col) * cellW + (cellW - panel.width) / 2
      let y = titleBand + Double(row) * cellH + (cellH - panel.height) / 2
      try PanelRenderer(plot: panel, id: k).render(into: &out, originX: x, originY: y)
    }
    out += "</svg>\n"
    return out
  }

  /// Writes ``svg()`` to `path` atomically: a temporary file in the same
  /// directory is renamed over `path`, so no partial file is ever left.
  /// - Throws: ``FigureError`` from rendering, or `.unwritable` when the
  ///   directory is missing, `path` is a directory, or the write fails.
  public func write(to path: String) throws {
    let bytes = Array(try svg().utf8)
    do throws(AtomicFile.Failure) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw FigureError.unwritable(path: path, reason: error.reason)
    }
  }
}

