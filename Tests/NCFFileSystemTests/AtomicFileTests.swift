import Testing
import Foundation
import NCFFileSystem

@Suite("atomic file replacement") struct AtomicFileTests {
  /// A fresh empty directory, removed afterwards.
  func withDirectory(_ body: (String) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try body(dir)
  }

  func contents(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

  @Test func writesAndReplacesLeavingNoTemporaryFile() throws {
    try withDirectory { dir in
      let path = dir + "/a.bin"
      try AtomicFile.write([1, 2, 3], to: path)
      #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
      try AtomicFile.write([9], to: path)
      #expect(FileManager.default.contents(atPath: path) == Data([9]))
      try AtomicFile.write([], to: path)
      #expect(FileManager.default.contents(atPath: path) == Data())
      #expect(try contents(dir) == ["a.bin"])
    }
  }

  @Test func replacesASymbolicLinkInsteadOfWritingThroughIt() throws {
    try withDirectory { dir in
      try AtomicFile.write([1], to: dir + "/target")
      try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/target")
      try AtomicFile.write([2], to: dir + "/link")
      #expect(FileManager.default.contents(atPath: dir + "/target") == Data([1]))
      #expect(FileManager.default.contents(atPath: dir + "/link") == Data([2]))
      #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link")) == nil)
    }
  }

  @Test func badDestinationsFailWithAReasonAndWriteNothing() throws {
    try withDirectory { dir in
      try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
      try AtomicFile.write([1], to: dir + "/file")
      let cases: [(String, String)] = [
        (dir + "/sub", "the path is a directory"),
        (dir + "/sub/", "the path is a directory"),
        (dir + "/missing/x", "directory '\(dir)/missing' does not exist"),
        (dir + "/file/x", "'\(dir)/file' is not a directory"),
      ]
      for (path, reason) in cases {
        #expect(throws: AtomicFile.Failure(reason)) { try AtomicFile.write([7], to: path) }
        #expect(throws: AtomicFile.Failure(reason)) { try AtomicFile.checkDestination(path) }
      }
      #expect(throws: AtomicFile.Failure("the path is empty")) { try AtomicFile.checkDestination("") }
      #expect(try contents(dir) == ["file", "sub"])
      #expect(try contents(dir + "/sub").isEmpty)
      try AtomicFile.checkDestination(dir + "/new")
      #expect(try contents(dir) == ["file", "sub"], "a check writes nothing")
    }
  }
}
