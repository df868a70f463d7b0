import Testing
import Foundation
import NCFFileSystem

/// Output paths must never name an input: the same file through another
/// spelling, a symbolic link or a hard link counts as the same.
@Suite struct FileIdentityTests {
  func withDirectory(_ body: (String) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try body(dir)
  }

  @Test func existingFilesCompareByDeviceAndInode() throws {
    try withDirectory { dir in
      let fm = FileManager.default
      try AtomicFile.write([1], to: dir + "/x.npy")
      try AtomicFile.write([1], to: dir + "/copy.npy")
      try fm.createSymbolicLink(atPath: dir + "/link.npy", withDestinationPath: dir + "/x.npy")
      try fm.createSymbolicLink(atPath: dir + "/linkdir", withDestinationPath: dir + "/sub/..")
      try fm.linkItem(atPath: dir + "/x.npy", toPath: dir + "/hard.npy")
      for other in [dir + "/x.npy", dir + "/./x.npy", dir + "/sub/../x.npy", dir + "//x.npy", dir + "/link.npy",
                    dir + "/linkdir/x.npy", dir + "/hard.npy"] {
        #expect(FileIdentity.same(dir + "/x.npy", other), "\(other)")
        #expect(FileIdentity.same(other, dir + "/x.npy"), "\(other)")
      }
      #expect(!FileIdentity.same(dir + "/x.npy", dir + "/copy.npy"), "same content, different file")
      #expect(!FileIdentity.same(dir + "/x.npy", dir + "/missing.npy"))
      #expect(!FileIdentity.same(dir + "/x.npy", ""))
    }
  }

  @Test func missingPathsCompareByResolvedDirectoryAndName() throws {
    try withDirectory { dir in
      let fm = FileManager.default
      try fm.createSymbolicLink(atPath: dir + "/linkdir", withDestinationPath: dir + "/sub")
      #expect(FileIdentity.same(dir + "/sub/new.png", dir + "/linkdir/new.png"))
      #expect(FileIdentity.same(dir + "/sub/new.png", dir + "/./sub//new.png"))
      #expect(!FileIdentity.same(dir + "/sub/new.png", dir + "/sub/other.png"))
      #expect(!FileIdentity.same(dir + "/sub/new.png", dir + "/new.png"))
      // A dangling link is replaced by a write, not written through: it is
      // itself, not its target.
      try fm.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: dir + "/nowhere")
      #expect(FileIdentity.same(dir + "/dangling", dir + "/./dangling"))
      #expect(!FileIdentity.same(dir + "/dangling", dir + "/nowhere"))
      // Relative paths resolve against the working directory.
      let cwd = fm.currentDirectoryPath
      #expect(FileIdentity.same("not-there-\(UUID().uuidString)", cwd + "/not-there") == false)
      #expect(FileIdentity.same("./same-\(cwd.count)", cwd + "/same-\(cwd.count)"))
    }
  }

  @Test func firstClashNamesTheOutputAndWhatItWouldReplace() throws {
    try withDirectory { dir in
      try AtomicFile.write([1], to: dir + "/content.png")
      try FileManager.default.createSymbolicLink(atPath: dir + "/alias.png", withDestinationPath: dir + "/content.png")
      let clash = FileIdentity.firstClash(outputs: [dir + "/out.png", dir + "/alias.png"], inputs: [dir + "/style.png", dir + "/content.png"])
      #expect(clash?.output == dir + "/alias.png" && clash?.other == dir + "/content.png")
      // Two outputs onto one file clash too.
      let twice = FileIdentity.firstClash(outputs: [dir + "/a.png", dir + "/sub/../a.png"], inputs: [])
      #expect(twice?.output == dir + "/sub/../a.png" && twice?.other == dir + "/a.png")
      #expect(FileIdentity.firstClash(outputs: [dir + "/a.png", dir + "/b.png"], inputs: [dir + "/content.png"]) == nil)
      // With labels (the options that named the paths): the same spelling twice is told apart by its label.
      let labelled = FileIdentity.firstClash(outputs: [("--out", dir + "/a.png"), ("--figure", dir + "/a.png")],
                                             inputs: [("--content", dir + "/content.png")])
      #expect(labelled?.output.label == "--figure" && labelled?.other.label == "--out" && labelled?.otherIsInput == false)
      let onInput = FileIdentity.firstClash(outputs: [("--out", dir + "/alias.png")], inputs: [("--content", dir + "/content.png")])
      #expect(onInput?.other.label == "--content" && onInput?.otherIsInput == true)
    }
  }
}
