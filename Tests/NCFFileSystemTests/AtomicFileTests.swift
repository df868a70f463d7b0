import Testing
import Foundation
import NCFFileSystem
#if canImport(Glibc)
import Glibc
#endif

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
      // write refuses exactly what the check refuses (one set of destination checks).
      #expect(throws: AtomicFile.Failure("the path is empty")) { try AtomicFile.checkDestination("") }
      #expect(throws: AtomicFile.Failure("the path is empty")) { try AtomicFile.write([7], to: "") }
      #expect(try contents(dir) == ["file", "sub"])
      #expect(try contents(dir + "/sub").isEmpty)
      try AtomicFile.checkDestination(dir + "/new")
      #expect(try contents(dir) == ["file", "sub"], "a check writes nothing")
    }
  }

  /// A killed save leaves `.NAME.tmp-XXXX` behind; the next successful save of
  /// NAME removes those older than an hour, and nothing that is not ours.
  @Test func aSuccessfulWriteRemovesItsOwnStaleTemporaryFiles() throws {
    try withDirectory { dir in
      let fm = FileManager.default
      let old = Date(timeIntervalSinceNow: -2 * 3600)
      func make(_ name: String, age: Date? = old, directory: Bool = false) throws {
        let path = dir + "/" + name
        if directory { try fm.createDirectory(atPath: path, withIntermediateDirectories: false) } else {
          #expect(fm.createFile(atPath: path, contents: Data([0])))
        }
        if let age { try fm.setAttributes([.modificationDate: age], ofItemAtPath: path) }
      }
      try make(".model.ncf.tmp-1x9zq0k3")  // stale, ours: removed
      try make(".model.ncf.tmp-3w5e11264sgsf")  // stale, ours (13 base-36 digits): removed
      try make(".model.ncf.tmp-abc", age: nil)  // fresh: another save may be writing it
      try make(".model.ncf.tmp-ABC")  // not base 36 lower case: not ours
      try make(".model.ncf.tmp-")  // no suffix
      try make(".model.ncf.tmp-abc.bak")
      try make("model.ncf.tmp-abc")  // not hidden
      try make(".other.ncf.tmp-abc")  // another destination's
      try make(".model.ncf.tmp-dir", directory: true)  // not a regular file
      try fm.createSymbolicLink(atPath: dir + "/.model.ncf.tmp-link", withDestinationPath: dir + "/.other.ncf.tmp-abc")
      var times = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
      #expect(lutimes(dir + "/.model.ncf.tmp-link", &times) == 0)  // an old link: still not ours to remove
      try AtomicFile.write([1, 2], to: dir + "/model.ncf")
      #expect(try contents(dir) == [
        ".model.ncf.tmp-", ".model.ncf.tmp-ABC", ".model.ncf.tmp-abc", ".model.ncf.tmp-abc.bak", ".model.ncf.tmp-dir",
        ".model.ncf.tmp-link", ".other.ncf.tmp-abc", "model.ncf", "model.ncf.tmp-abc",
      ])
      // A failed write removes nothing.
      try make(".x.tmp-zz")
      try fm.createDirectory(atPath: dir + "/x", withIntermediateDirectories: false)
      #expect(throws: AtomicFile.Failure.self) { try AtomicFile.write([1], to: dir + "/x") }
      #expect(fm.fileExists(atPath: dir + "/.x.tmp-zz"))
    }
  }
}
