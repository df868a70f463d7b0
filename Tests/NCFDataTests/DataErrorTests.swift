import Foundation
import Testing
import NCFData
import NCFTensor

/// Every failure mode: the error kind, and a one-line message naming the file.
@Suite struct DataErrorTests {
  /// Checks the message shape every error must have.
  func checkMessage(_ e: DataError, names file: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(e.description.contains(file), "\(e)", sourceLocation: sourceLocation)
    #expect(!e.description.contains("\n"), "\(e)", sourceLocation: sourceLocation)
  }

  @Test func missingFile() throws {
    let dir = TemporaryDirectory()
    let e = try #require(dataError { try SampleFile.readSamples(path: dir.file("nope.npy")) })
    #expect(e.kind == .fileNotFound)
    checkMessage(e, names: "nope.npy")
  }

  @Test func directoryWhereAFileIsExpected() throws {
    let dir = TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: dir.file("d.npy"), withIntermediateDirectories: false)
    let e = try #require(dataError { try SampleFile.readSamples(path: dir.file("d.npy")) })
    #expect(e.kind == .isDirectory)
    checkMessage(e, names: "d.npy")
  }

  @Test(.enabled(if: getuid() != 0, "root can read any file"))
  func unreadableFile() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("locked.csv", text: "1,2\n")
    chmod(path, 0)
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    guard case .unreadable = e.kind else { Issue.record("\(e)"); return }
    checkMessage(e, names: "locked.csv")
  }

  #if os(Linux)
  /// Works as root too: /proc/self/mem exists and passes access(2), but
  /// reading it from offset 0 fails.
  @Test func unreadableFileEvenForRoot() throws {
    let dir = TemporaryDirectory()
    try FileManager.default.createSymbolicLink(atPath: dir.file("mem.npy"), withDestinationPath: "/proc/self/mem")
    let e = try #require(dataError { try SampleFile.readSamples(path: dir.file("mem.npy")) })
    guard case .unreadable = e.kind else { Issue.record("\(e)"); return }
    checkMessage(e, names: "mem.npy")
  }

  /// A directory nobody may create files in, even root (procfs).
  @Test func failingSystemCallIsUnwritable() throws {
    let e = try #require(dataError { try SampleFile.write(gridValues(2, 2), to: "/proc/ncf-test.npy") })
    guard case .unwritable(let reason) = e.kind else { Issue.record("\(e)"); return }
    #expect(reason.contains("temporary file"))
    checkMessage(e, names: "/proc/ncf-test.npy")
  }
  #endif

  @Test func unknownExtension() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("x.npz", text: "")
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    #expect(e.kind == .unknownFormat(extension: "npz"))
    checkMessage(e, names: "x.npz")
    let w = try #require(dataError { try SampleFile.write(gridValues(1, 1), to: dir.file("out.json")) })
    #expect(w.kind == .unknownFormat(extension: "json"))
  }

  @Test func badMagic() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("bad.npy", text: "x,y\n1,2\n")
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    guard case .malformedHeader(let why) = e.kind else { Issue.record("\(e)"); return }
    #expect(why.contains("magic"))
    checkMessage(e, names: "bad.npy")
  }

  @Test func truncatedHeader() throws {
    let dir = TemporaryDirectory()
    let full = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", data: float64Bytes([1]))
    for cut in [4, 9, 40] {
      let path = dir.write("cut\(cut).npy", bytes: Array(full.prefix(cut)))
      let e = try #require(dataError { try SampleFile.readSamples(path: path) })
      guard case .malformedHeader = e.kind else { Issue.record("cut \(cut): \(e)"); continue }
      checkMessage(e, names: "cut\(cut).npy")
    }
  }

  @Test(arguments: [
    "['descr', '<f8']",
    "{'descr': '<f8', 'fortran_order': False}",
    "{'descr': '<f8', 'fortran_order': 'no', 'shape': (1, 1)}",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (1.0, 1)}",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 1)}",
    "{'descr': '<f8', 'fortran_order': False, 'shape': 1}",
    "{'descr': '<f8, 'fortran_order': False, 'shape': (1, 1)}",
    "{'descr': '<f8' 'fortran_order': False, 'shape': (1, 1)}",
    "{'descr': 8, 'fortran_order': False, 'shape': (1, 1)}",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} junk",
  ])
  func badHeaderDict(header: String) throws {
    let dir = TemporaryDirectory()
    let path = dir.write("dict.npy", bytes: npyBytes(header: header, data: float64Bytes([1])))
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    guard case .malformedHeader = e.kind else { Issue.record("\(header): \(e)"); return }
    checkMessage(e, names: "dict.npy")
  }

  @Test(arguments: ["<c16", "|b1", "<U3", "|O", "<f16", "<i3"])
  func unsupportedDType(descr: String) throws {
    let dir = TemporaryDirectory()
    let header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1, 1), }"
    let path = dir.write("t.npy", bytes: npyBytes(header: header, data: [UInt8](repeating: 0, count: 16)))
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    #expect(e.kind == .unsupportedDType("'\(descr)'"))
    checkMessage(e, names: "t.npy")
  }

  @Test func structuredDTypeIsUnsupported() throws {
    let dir = TemporaryDirectory()
    let header = "{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }"
    let path = dir.write("s.npy", bytes: npyBytes(header: header, data: [UInt8](repeating: 0, count: 12)))
    let e = try #require(dataError { try SampleFile.readLabels(path: path) })
    guard case .unsupportedDType = e.kind else { Issue.record("\(e)"); return }
    checkMessage(e, names: "s.npy")
  }

  @Test func nonTwoDimensionalSamples() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("v.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", data: float64Bytes([1, 2, 3])))
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    guard case .wrongRank(let shape, _) = e.kind else { Issue.record("\(e)"); return }
    #expect(shape == [3])
    checkMessage(e, names: "v.npy")
    #expect(e.description.contains("(3,)"))
  }

  @Test func emptyArray() throws {
    let dir = TemporaryDirectory()
    try SampleFile.write(Tensor<Double>.zeros(rows: 0, columns: 2), to: dir.file("e.npy"))
    let e = try #require(dataError { try SampleFile.readSamples(path: dir.file("e.npy")) })
    #expect(e.kind == .empty(shape: [0, 2]))
    checkMessage(e, names: "e.npy")
    let blank = dir.write("e.csv", text: "\n\n")
    #expect(dataError { try SampleFile.readSamples(path: blank) }?.kind == .empty(shape: [0, 0]))
  }

  @Test func truncatedData() throws {
    let dir = TemporaryDirectory()
    try SampleFile.write(gridValues(4, 3), to: dir.file("full.npy"))
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file("full.npy"))))
    let path = dir.write("short.npy", bytes: Array(bytes.dropLast(5)))
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    #expect(e.kind == .truncated(expectedBytes: 96, actualBytes: 91))
    checkMessage(e, names: "short.npy")
  }

  @Test func nonFiniteValuesReportTheFirstRow() throws {
    let dir = TemporaryDirectory()
    var x = gridValues(6, 2)
    x[4, 1] = .nan
    x[5, 0] = .infinity
    try SampleFile.write(x, to: dir.file("n.npy"))
    let e = try #require(dataError { try SampleFile.readSamples(path: dir.file("n.npy")) })
    #expect(e.kind == .nonFinite(row: 4, column: 1))
    checkMessage(e, names: "n.npy")
    #expect(e.description.contains("row 4") && e.description.contains("0-based"))
    // In text files too: NaN and Inf parse as numbers, then fail the finiteness check.
    let csv = dir.write("n.csv", text: "a,b\n1,2\n3,inf\nnan,4\n")
    #expect(dataError { try SampleFile.readSamples(path: csv) }?.kind == .nonFinite(row: 1, column: 1))
    // A float64 value beyond Float's range is named as such, not as a NaN/Inf,
    // whichever precision it is read in (models compute in Float).
    try SampleFile.write(Tensor<Double>([[1], [1e300]]), to: dir.file("big.npy"))
    let limit = Double(Float.greatestFiniteMagnitude)
    #expect(dataError { try SampleFile.readSamples(path: dir.file("big.npy"), as: Float.self) }?.kind
            == .outOfRange(row: 1, column: 0, value: 1e300, limit: limit))
    #expect(dataError { try SampleFile.readSamples(path: dir.file("big.npy")) }?.kind
            == .outOfRange(row: 1, column: 0, value: 1e300, limit: limit))
    // Without the limit, Double holds it.
    #expect(try SampleFile.readSamples(path: dir.file("big.npy"), as: Double.self, magnitudeLimit: nil)[1, 0] == 1e300)
  }

  @Test func raggedCSV() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("r.csv", text: "x,y\n1,2\n3,4,5\n")
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    #expect(e.kind == .raggedRow(row: 1, line: 3, expected: 2, found: 3))
    checkMessage(e, names: "r.csv")
  }

  @Test func nonNumericCSVCell() throws {
    let dir = TemporaryDirectory()
    let path = dir.write("c.csv", text: "1,2\n3,4\n# comment\n5,abc\n")
    let e = try #require(dataError { try SampleFile.readSamples(path: path) })
    #expect(e.kind == .nonNumeric(row: 2, line: 4, column: 1, text: "abc"))
    checkMessage(e, names: "c.csv")
    #expect(e.description.contains("row 2") && e.description.contains("column 1"))
    let emptyCell = dir.write("e.csv", text: "1,2\n3,\n")
    #expect(dataError { try SampleFile.readSamples(path: emptyCell) }?.kind
            == .nonNumeric(row: 1, line: 2, column: 1, text: ""))
  }

  @Test func unwritableOutput() throws {
    let dir = TemporaryDirectory()
    let missing = try #require(dataError { try SampleFile.write(gridValues(2, 2), to: dir.file("no/such/x.npy")) })
    guard case .unwritable = missing.kind else { Issue.record("\(missing)"); return }
    checkMessage(missing, names: "x.npy")
    try FileManager.default.createDirectory(atPath: dir.file("d.csv"), withIntermediateDirectories: false)
    let isDir = try #require(dataError { try SampleFile.write(gridValues(2, 2), to: dir.file("d.csv")) })
    guard case .unwritable = isDir.kind else { Issue.record("\(isDir)"); return }
    checkMessage(isDir, names: "d.csv")
    let labels = try #require(dataError { try SampleFile.writeLabels([1], to: dir.file("no/l.npy")) })
    guard case .unwritable = labels.kind else { Issue.record("\(labels)"); return }
    #expect(dir.entries == ["d.csv"])  // nothing partial left behind
  }

  @Test(.enabled(if: getuid() != 0, "root can write anywhere"))
  func readOnlyDirectory() throws {
    let dir = TemporaryDirectory()
    try FileManager.default.createDirectory(atPath: dir.file("ro"), withIntermediateDirectories: false)
    chmod(dir.file("ro"), 0o555)
    defer { chmod(dir.file("ro"), 0o755) }
    let e = try #require(dataError { try SampleFile.write(gridValues(2, 2), to: dir.file("ro/x.npy")) })
    guard case .unwritable = e.kind else { Issue.record("\(e)"); return }
    checkMessage(e, names: "x.npy")
  }
}
