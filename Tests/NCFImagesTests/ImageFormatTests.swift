import Foundation
import NCFImages
import NCFTensor
import Testing

@Suite struct ImageFormatTests {
  @Test func detectionBySignature() {
    #expect(ImageFormat.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
    #expect(ImageFormat.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A]) == nil)  // signature cut short
    #expect(ImageFormat.detect([0xFF, 0xD8, 0xFF, 0xE1]) == .jpeg)
    #expect(ImageFormat.detect([0xFF, 0xD8]) == nil)
    #expect(ImageFormat.detect(Array("GIF89a".utf8)) == nil)
    #expect(ImageFormat.detect([UInt8]()) == nil)
  }

  @Test func writerChoiceByExtension() {
    #expect(ImageFormat(pathExtensionOf: "a/b/c.png") == .png)
    #expect(ImageFormat(pathExtensionOf: "C.JPG") == .jpeg)
    #expect(ImageFormat(pathExtensionOf: "x.jpeg") == .jpeg)
    #expect(ImageFormat(pathExtensionOf: "dir.png/file") == nil)  // the extension is the last component's
    #expect(ImageFormat(pathExtensionOf: ".png") == nil)  // a hidden file, no extension
    #expect(ImageFormat(pathExtensionOf: "x.gif") == nil)
    #expect(ImageFormat(pathExtensionOf: "x.") == nil)
  }

  @Test func everyErrorDescriptionIsOneLineNamingTheFile() {
    let p = "some/dir/photo.jpg"
    let errors: [ImageError] = [
      .fileNotFound(path: p), .isDirectory(path: p), .unreadable(path: p, reason: "Permission denied"),
      .unsupportedFormat(path: p, detail: "GIF image"), .corrupt(path: p, format: .jpeg, reason: "bad"),
      .tooLarge(path: p, width: 100_000, height: 100_000), .unsupportedOutputExtension(path: p),
      .unwritable(path: p, reason: "Read-only file system"), .encodingFailed(path: p, format: .png, reason: "x"),
    ]
    for error in errors {
      #expect(error.path == p)
      #expect(error.description.contains("'\(p)'"))
      #expect(!error.description.contains("\n"))
      #expect(error.localizedDescription == error.description)
    }
  }

  @Test func nanInAPixelTensorIsAContractViolation() async {
    await #expect(processExitsWith: .failure) {
      var image = RGBImage(width: 2, height: 1, repeating: RGBPixel(grey: 0))
      image.setPixels(rows: 0..<1, from: Tensor<Float>(rows: 2, columns: 3, scalars: [0, 0, 0, .nan, 0, 0]))
    }
  }
}
