import Foundation
import Testing
import NCFData
import NCFTensor

@Suite struct IDXTests {
  static func sample(_ shape: [Int], seed: UInt64) -> IDXArray {
    var rng = SeededRandom(seed: seed)
    let n = shape.reduce(1, *)
    return IDXArray(shape: shape, bytes: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
  }

  @Test func plainAndGzipFilesRoundTrip() throws {
    let dir = TemporaryDirectory()
    for (k, shape) in [[7], [5, 3, 4], [2, 28, 28], [0, 2]].enumerated() {
      let a = Self.sample(shape, seed: UInt64(k))
      try IDX.write(a, to: dir.file("a\(k)"))
      try IDX.write(a, to: dir.file("a\(k).gz"), compressed: true)
      #expect(try IDX.read(path: dir.file("a\(k)")) == a)
      #expect(try IDX.read(path: dir.file("a\(k).gz")) == a)
      let raw = try Data(contentsOf: URL(fileURLWithPath: dir.file("a\(k).gz")))
      #expect(Gzip.isGzip(raw), "written compressed")
    }
    // The header as LeCun describes it: 00 00 08 rank, big-endian sizes.
    #expect(IDX.encode(IDXArray(shape: [2, 1], bytes: [9, 10])) == [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 9, 10])
  }

  @Test func concatenatedGzipMembersAreReadLikeGunzip() throws {
    let plain = IDX.encode(Self.sample([3, 5], seed: 9))
    let cut = 7
    let two = Gzip.compress(Array(plain[..<cut])) + Gzip.compress(Array(plain[cut...]))
    let dir = TemporaryDirectory()
    let path = dir.write("two.gz", bytes: two)
    #expect(try IDX.read(path: path) == IDXArray(shape: [3, 5], bytes: Array(plain[12...])))
  }

  func rejection(_ bytes: [UInt8]) -> DataError? {
    let dir = TemporaryDirectory()
    let path = dir.write("bad", bytes: bytes)
    do { _ = try IDX.read(path: path); return nil } catch let e as DataError { return e } catch { return nil }
  }

  @Test func malformedFilesAreRejectedWithTheReason() throws {
    let good = IDX.encode(Self.sample([2, 3], seed: 1))  // 12-byte header + 6 bytes
    func expectMalformed(_ bytes: [UInt8], mentioning text: String, _ comment: Comment) {
      guard let e = rejection(bytes) else { Issue.record("accepted: \(comment)"); return }
      #expect(e.description.contains(text), "\(comment): \(e)")
      #expect(!e.description.contains("\n"), "one line")
    }
    expectMalformed([], mentioning: "shorter than the 4-byte magic", "empty")
    expectMalformed([1, 0, 8, 1], mentioning: "magic number starts 01 00", "bad magic")
    expectMalformed([0, 0, 0x0D, 1, 0, 0, 0, 0], mentioning: "0x0d (float32)", "float type")
    expectMalformed([0, 0, 0x42, 1, 0, 0, 0, 0], mentioning: "not an IDX type", "unknown type")
    expectMalformed([0, 0, 8, 0], mentioning: "rank 0", "rank 0")
    expectMalformed([0, 0, 8, 3, 0, 0, 0, 1], mentioning: "16-byte header", "header cut short")
    expectMalformed(good + [0], mentioning: "1 bytes after", "trailing byte")
    expectMalformed([0, 0, 8, 1, 0x80, 0, 0, 0], mentioning: "beyond 2³¹", "huge dimension")
    expectMalformed([0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 2], mentioning: "too many values",
                    "overflowing shape")
    // Truncated data: the header promises more than the file holds.
    guard case .truncated(6, 5)? = rejection(Array(good.dropLast()))?.kind else {
      Issue.record("truncated data not reported as such"); return
    }
    // Broken gzip streams.
    let gz = Gzip.compress(good)
    expectMalformed(Array(gz.prefix(gz.count / 2)), mentioning: "truncated", "cut gzip")
    var flipped = gz
    flipped[12] ^= 0xff
    expectMalformed(flipped, mentioning: "gzip", "corrupt gzip")
  }

  @Test func missingFileIsNamed() {
    #expect(throws: DataError(.fileNotFound, path: "/nonexistent/x-idx3-ubyte")) {
      try IDX.read(path: "/nonexistent/x-idx3-ubyte")
    }
  }
}

/// scripts/fetch-mnist-data.sh --verify: a corrupted or missing file fails the check.
@Suite struct FetchScriptTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../scripts/fetch-mnist-data.sh").standardized.path
  static let names = [
    "fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz",
    "fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz",
    "mnist/t10k-images-idx3-ubyte", "mnist/t10k-labels-idx1-ubyte", "mnist/train-images-idx3-ubyte",
    "mnist/train-labels-idx1-ubyte",
  ]

  static func verify(_ dir: String) throws -> (status: Int32, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [script, "--verify", dir]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = Pipe()
    try p.run()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
  }

  @Test func corruptedAndMissingFilesAreRejected() throws {
    let dir = TemporaryDirectory()
    for sub in ["fashion-mnist", "mnist"] {
      try FileManager.default.createDirectory(atPath: dir.file(sub), withIntermediateDirectories: true)
    }
    for name in Self.names.dropLast() { dir.write(name, text: "not the data") }
    let (status, stderr) = try Self.verify(dir.path)
    #expect(status == 1)
    #expect(stderr.contains("mnist/train-images-idx3-ubyte: SHA-256"), "\(stderr)")
    #expect(stderr.contains("mnist/train-labels-idx1-ubyte is missing"), "\(stderr)")
  }

  /// With the real data fetched (data/fmnist-mnist): a copy verifies, and
  /// one flipped byte in it is caught.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: realData + "/mnist/t10k-labels-idx1-ubyte")))
  func oneFlippedByteInTheRealDataIsCaught() throws {
    let dir = TemporaryDirectory()
    for sub in ["fashion-mnist", "mnist"] {
      try FileManager.default.createDirectory(atPath: dir.file(sub), withIntermediateDirectories: true)
    }
    for name in Self.names { try FileManager.default.copyItem(atPath: Self.realData + "/" + name, toPath: dir.file(name)) }
    #expect(try Self.verify(dir.path).status == 0)
    let victim = dir.file("mnist/t10k-labels-idx1-ubyte")
    var bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
    bytes[100] ^= 1
    try bytes.write(to: URL(fileURLWithPath: victim))
    let (status, stderr) = try Self.verify(dir.path)
    #expect(status == 1 && stderr.contains("t10k-labels-idx1-ubyte: SHA-256"), "\(stderr)")
  }

  static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../data/fmnist-mnist").standardized.path
}
