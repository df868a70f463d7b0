import Testing
import NCFData
import NCFTensor

@Suite struct CSVTests {
  @Test(arguments: ["x.csv", "x.tsv", "x.txt"])
  func roundTripIsExactInEveryTextFormat(name: String) throws {
    let dir = TemporaryDirectory()
    var rng = SeededRandom(seed: 3)
    let x = Tensor<Double>.normal(rows: 20, columns: 3, using: &rng).map { $0 * 1e-3 }
    try SampleFile.write(x, to: dir.file(name), header: ["a", "b", "c"])
    #expect(try SampleFile.readSamples(path: dir.file(name)) == x)
    let (_, header) = try CSV.readTensor(path: dir.file(name), as: Double.self)
    #expect(header == ["a", "b", "c"])
  }

  @Test func float32TextRoundTripIsExact() throws {
    let dir = TemporaryDirectory()
    var rng = SeededRandom(seed: 4)
    let x = Tensor<Float>.normal(rows: 15, columns: 2, using: &rng)
    try SampleFile.write(x, to: dir.file("x.csv"))
    #expect(try SampleFile.readSamples(path: dir.file("x.csv"), as: Float.self) == x)
  }

  @Test func separatorsHeadersCommentsAndLineEnds() throws {
    let dir = TemporaryDirectory()
    let expected = Tensor<Double>([[1, 2.5], [-3, 4e-2]])
    let texts = [
      "1,2.5\n-3,4e-2\n",
      "x,y\n1,2.5\n-3,4e-2",
      "\"x\";\"y\"\r\n1;2.5\r\n-3;4e-2\r\n",
      "# written by hand\n\nx\ty\n1\t2.5\n\n-3\t0.04\n",
      "   1   2.5\n  -3  4e-2  \n",
      "\u{FEFF}x, y\n 1 , 2.5\n-3 , 4e-2\n",
    ]
    for (k, t) in texts.enumerated() {
      let path = dir.write("t\(k).csv", text: t)
      #expect(try SampleFile.readSamples(path: path) == expected, "text \(k)")
    }
  }

  @Test func labelsByNameIndexOrSingleColumn() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("d.csv", text: "x,y,label\n0.5,1,2\n1.5,2,0\n2.5,3,1.0\n")
    #expect(try SampleFile.readLabels(path: path, column: "label") == [2, 0, 1])
    #expect(try SampleFile.readLabels(path: path, column: 2) == [2, 0, 1])
    #expect(try SampleFile.readLabels(path: path, column: .init(parsing: "2")) == [2, 0, 1])
    #expect(try SampleFile.readLabels(path: path, column: .init(parsing: "label")) == [2, 0, 1])
    let single = dir.write("l.txt", text: "4\n5\n6\n")
    #expect(try SampleFile.readLabels(path: single) == [4, 5, 6])
  }

  @Test func labelColumnErrors() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("d.csv", text: "x,y,label\n0.5,1,2\n1.5,2,0.5\n")
    let ambiguous = try #require(dataError { try SampleFile.readLabels(path: path) })
    guard case .columnNotFound = ambiguous.kind else { Issue.record("\(ambiguous)"); return }
    let missing = try #require(dataError { try SampleFile.readLabels(path: path, column: "class") })
    #expect(missing.description.contains("d.csv") && missing.description.contains("label"))
    let outOfRange = try #require(dataError { try SampleFile.readLabels(path: path, column: 3) })
    guard case .columnNotFound = outOfRange.kind else { Issue.record("\(outOfRange)"); return }
    let fractional = try #require(dataError { try SampleFile.readLabels(path: path, column: "label") })
    #expect(fractional.kind == .nonIntegerLabel(index: 1, text: "0.5"))
    let npy = try #require(dataError { try SampleFile.readLabels(path: fixture("labels_i8.npy"), column: 0) })
    guard case .columnNotFound = npy.kind else { Issue.record("\(npy)"); return }
  }

  @Test func headerOnlyTableIsEmpty() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("h.csv", text: "x,y\n")
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    #expect(e.kind == .empty(shape: [0, 2]))
    #expect(e.description.contains("h.csv"))
  }
}
