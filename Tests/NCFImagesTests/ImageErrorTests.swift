import Foundation
import NCFImages
import Testing

@Suite struct ImageErrorTests {
  // MARK: - Reading

  @Test func missingFile() throws {
    try withTemporaryDirectory { dir in
      let path = dir + "/nope.png"
      let error = caught { _ = try RGBImage(contentsOfFile: path) }
      #expect(error == .fileNotFound(path: path))
      #expect(error?.description == "image file not found: '\(path)'")
    }
  }

  @Test func directoryInsteadOfFile() throws {
    try withTemporaryDirectory { dir in
      #expect(caught { _ = try RGBImage(contentsOfFile: dir) } == .isDirectory(path: dir))
    }
  }

  @Test func gifTextAndEmptyFilesAreUnsupported() throws {
    try withTemporaryDirectory { dir in
      let cases: [(String, [UInt8], String)] = [
        ("anim.gif", Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0], "GIF image"),
        ("notes.png", Array("hello, world\n".utf8), "unrecognised content (starts with 68 65 6C 6C 6F 2C 20 77)"),
        ("empty.jpg", [], "empty file"),
      ]
      for (name, bytes, detail) in cases {
        let path = dir + "/" + name
        try writeBytes(bytes, to: path)
        let error = caught { _ = try RGBImage(contentsOfFile: path) }
        #expect(error == .unsupportedFormat(path: path, detail: detail))
        #expect(error?.description.contains(path) == true)
      }
    }
  }

  @Test func corruptPNGWithValidSignature() throws {
    let bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + randomBytes(2_000, seed: 10)
    let error = caught { _ = try RGBImage(decoding: bytes, name: "noise.png") }
    guard case .corrupt(let path, .png, let reason) = error else {
      Issue.record("expected a corrupt-PNG error, got \(String(describing: error))")
      return
    }
    #expect(path == "noise.png" && reason.hasPrefix("libpng: "))
    print("random bytes after a PNG signature: \(error!)")
  }

  @Test func corruptJPEGWithValidSignature() throws {
    let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + randomBytes(2_000, seed: 11)
    let error = caught { _ = try RGBImage(decoding: bytes, name: "noise.jpg") }
    guard case .corrupt(_, .jpeg, _) = error else {
      Issue.record("expected a corrupt-JPEG error, got \(String(describing: error))")
      return
    }
    print("random bytes after a JPEG signature: \(error!)")
  }

  @Test func truncatedPNGIsRejected() throws {
    let full = try readBytes(shippedImagePath("chelsea.png"))
    try withTemporaryDirectory { dir in
      let path = dir + "/half.png"
      try writeBytes(Array(full.prefix(full.count / 2)), to: path)
      let error = caught { _ = try RGBImage(contentsOfFile: path) }
      guard case .corrupt(path, .png, _) = error else {
        Issue.record("expected a corrupt-PNG error, got \(String(describing: error))")
        return
      }
      print("first half of chelsea.png: \(error!)")
    }
  }

  @Test func truncatedJPEGIsRejectedUnlessWarningsAreAccepted() throws {
    let full = try readBytes(shippedImagePath("rocket.jpg"))
    try withTemporaryDirectory { dir in
      let path = dir + "/half.jpg"
      try writeBytes(Array(full.prefix(full.count / 2)), to: path)
      let error = caught { _ = try RGBImage(contentsOfFile: path) }
      guard case .corrupt(path, .jpeg, let reason) = error else {
        Issue.record("expected a corrupt-JPEG error, got \(String(describing: error))")
        return
      }
      #expect(reason.hasPrefix("TurboJPEG warning: "))
      print("first half of rocket.jpg: \(error!)")
      // Opt-in: the partial decode (missing rows filled in) is returned.
      let partial = try RGBImage(contentsOfFile: path, acceptJPEGWarnings: true)
      #expect(partial.width == 256 && partial.height == 171)
    }
  }

  @Test func jpegCutInsideTheHeaderIsAnErrorEvenWhenWarningsAreAccepted() throws {
    let full = try readBytes(shippedImagePath("rocket.jpg"))
    let head = Array(full.prefix(40))
    let error = caught { _ = try RGBImage(decoding: head, name: "head.jpg", acceptJPEGWarnings: true) }
    guard case .corrupt(_, .jpeg, _) = error else {
      Issue.record("expected a corrupt-JPEG error, got \(String(describing: error))")
      return
    }
  }

  // MARK: - Writing

  @Test func unsupportedOutputExtension() throws {
    let image = noiseImage(width: 4, height: 4, seed: 12)
    try withTemporaryDirectory { dir in
      for name in ["out.gif", "out", "out.png.txt", ".png"] {
        let path = dir + "/" + name
        let error = caught { try image.write(toFile: path) }
        #expect(error == .unsupportedOutputExtension(path: path))
        #expect(error?.description.contains(path) == true)
      }
      let left = try FileManager.default.contentsOfDirectory(atPath: dir)
      #expect(left.isEmpty)
    }
  }

  @Test func unwritableOutputPaths() throws {
    let image = noiseImage(width: 4, height: 4, seed: 13)
    try withTemporaryDirectory { dir in
      // Parent directory missing; parent is a regular file.
      try writeBytes([1, 2, 3], to: dir + "/file")
      for path in [dir + "/missing/out.png", dir + "/file/out.jpg"] {
        let error = caught { try image.write(toFile: path) }
        guard case .unwritable(path, _) = error else {
          Issue.record("expected unwritable for \(path), got \(String(describing: error))")
          continue
        }
      }
      // The destination is a directory: the temporary file is created, the
      // rename fails, and nothing is left behind.
      try FileManager.default.createDirectory(atPath: dir + "/taken.png", withIntermediateDirectories: false)
      let error = caught { try image.write(toFile: dir + "/taken.png") }
      guard case .unwritable(_, _) = error else {
        Issue.record("expected unwritable, got \(String(describing: error))")
        return
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["file", "taken.png"])
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/taken.png").isEmpty)
      print("writing over a directory: \(error!)")
    }
  }
}
