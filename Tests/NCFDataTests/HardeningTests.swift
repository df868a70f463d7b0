import Foundation
import Testing
import NCFData
import NCFTensor

/// Crafted inputs that used to crash a reader or be read wrongly (issue 10):
/// each must now give one typed, one-line error naming the file.
@Suite struct HardeningTests {
  func expectMalformedHeader(_ bytes: [UInt8], mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = TemporaryDirectory()
    let path = dir.write("h.npy", bytes: bytes)
    let e = dataError { try SampleFile.readSamples(path: path) }
    guard let e, case .malformedHeader = e.kind else {
      Issue.record("expected a malformed-header error, got \(String(describing: e))", sourceLocation: sourceLocation)
      return
    }
    #expect(e.description.hasPrefix(path + ": "), "\(e)", sourceLocation: sourceLocation)
    #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
    for w in words { #expect(e.description.contains(w), "\(e)", sourceLocation: sourceLocation) }
  }

  /// The header parser recursed once per level, so 50 000 levels overflowed
  /// the stack (SIGSEGV) before any error could be reported.
  @Test(arguments: ["[", "(", "{"])
  func deeplyNestedHeadersAreRejectedNotRecursedInto(opener: String) {
    let depth = 50_000
    let open = opener == "{" ? "{'k': " : opener
    let close = ["[": "]", "(": ")", "{": "}"][opener]!
    let nested = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(nested), }"
    expectMalformedHeader(npyBytes(header: header, major: 2, data: float64Bytes([1, 2])), mentioning: ["nested"])
  }

  /// Modest nesting inside an otherwise valid header is still parsed (and then
  /// rejected for what it is, not for its depth).
  @Test func shallowNestingStillParses() {
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (((3, 2))), 'extra': [[[[None]]]], }"
    let dir = TemporaryDirectory()
    let path = dir.write("s.npy", bytes: npyBytes(header: header, data: float64Bytes([1, 2, 3, 4, 5, 6])))
    #expect((try? SampleFile.readSamples(path: path))?.rows == 3)
  }

  @Test func negativeDimensionsAreNamedAsSuch() {
    for shape in ["(-1, 2)", "(3, -2)", "(-36519,)"] {
      let header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
      expectMalformedHeader(npyBytes(header: header, data: float64Bytes([1, 2])), mentioning: ["negative"])
    }
  }

  /// strtod stops at a NUL, so `1.5\0xyz` used to read as 1.5; any control
  /// character (vertical tab, form feed, …) inside a cell is just as invalid.
  @Test(arguments: ["\u{0}", "\u{1}", "\u{0B}", "\u{0C}", "\u{7F}"])
  func controlCharactersInsideACellAreNonNumeric(control: String) throws {
    let dir = TemporaryDirectory()
    let middle = dir.write("m.csv", text: "x,y\n1,2\n1.5\(control)xyz,4\n")
    let e = try #require(dataError { try SampleFile.readSamples(path: middle) })
    guard case .nonNumeric(let row, let line, let column, _) = e.kind else { Issue.record("\(e)"); return }
    #expect((row, line, column) == (1, 3, 0))
    #expect(!e.description.contains("\u{0}") && !e.description.contains("\n"), "\(e)")
    // In the first line too: a control character makes no header name either.
    let first = dir.write("f.csv", text: "1,2\(control)5\n3,4\n")
    #expect(dataError { try SampleFile.readSamples(path: first) } != nil)
    let leading = dir.write("l.csv", text: "1,2\n\(control)3,4\n")
    #expect(dataError { try SampleFile.readSamples(path: leading) } != nil)
    let label = dir.write("labels.csv", text: "1\n2\(control)7\n")
    #expect(dataError { try SampleFile.readLabels(path: label) } != nil)
  }

  /// Models compute in Float: 1e39 is finite in Double but infinite there,
  /// so it is rejected on reading with its row, in every format.
  @Test func valuesBeyondFloatRangeAreRejectedOnReading() throws {
    let dir = TemporaryDirectory()
    let x = Tensor<Double>([[1, 2], [3, 4], [5, -1e39]])
    for name in ["o.npy", "o.csv", "o.txt"] {
      try SampleFile.write(x, to: dir.file(name))
      let asDouble = dataError { try SampleFile.readSamples(path: dir.file(name)) }
      let asFloat = dataError { try SampleFile.readSamples(path: dir.file(name), as: Float.self) }
      for e in [asDouble, asFloat] {
        let e = try #require(e, "\(name)")
        #expect(e.description.contains("row 2") && e.description.contains("column 1"), "\(e)")
        #expect(e.description.contains("float32"), "\(e)")
      }
    }
    // The largest finite Float is still accepted.
    try SampleFile.write(Tensor<Double>([[1, Double(Float.greatestFiniteMagnitude)], [0, 1]]), to: dir.file("max.npy"))
    #expect(try SampleFile.readSamples(path: dir.file("max.npy"))[0, 1] == Double(Float.greatestFiniteMagnitude))
  }
}
