import Foundation
import Testing
import NCFFigures

@Suite struct FigureTests {
  func panel(_ title: String) -> Plot {
    var p = Plot(title: title)
    p.scatter(x: [0, 1, 2], y: [2, 1, 0], label: "data")
    return p
  }

  @Test func panelsSideBySide() throws {
    let titles = ["source & target", "forward map", "backward map", "paths"]
    let figure = Figure(panels: titles.map(panel), title: "NCF <demo>")
    let (root, _) = try parseXML(try figure.svg())
    #expect(root.elements(withClass: "panel").count == 4)
    #expect(root.elements(withClass: "title").map(\.text) == titles)
    #expect(root.elements(withClass: "figure-title").first?.text == "NCF <demo>")
    #expect(root.attributes["width"] == "1680")
    // Clip paths are unique per panel and every series refers to its own.
    let ids = root.elements("clipPath").compactMap { $0.attributes["id"] }
    #expect(Set(ids).count == 4)
  }

  @Test func gridLayout() throws {
    let figure = Figure(panels: (0..<5).map { panel("p\($0)") }, columns: 2)
    let (root, _) = try parseXML(try figure.svg())
    #expect(root.attributes["width"] == "840" && root.attributes["height"] == "1140")
  }

  @Test func writeIsAtomicAndReportsBadPaths() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-fig-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let figure = Figure(panels: [panel("a")])
    try figure.write(to: dir + "/f.svg")
    try figure.write(to: dir + "/f.svg")  // replaces
    let written = try String(contentsOfFile: dir + "/f.svg", encoding: .utf8)
    #expect(written == (try figure.svg()))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["f.svg"])

    let missing = #expect(throws: FigureError.self) { try figure.write(to: dir + "/no/f.svg") }
    #expect(missing?.description.contains("f.svg") == true)
    try FileManager.default.createDirectory(atPath: dir + "/d.svg", withIntermediateDirectories: false)
    #expect(throws: FigureError.unwritable(path: dir + "/d.svg", reason: "the path is a directory")) {
      try figure.write(to: dir + "/d.svg")
    }
  }
}
