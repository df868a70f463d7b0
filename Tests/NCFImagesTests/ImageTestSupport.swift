import Foundation
import NCFImages
import NCFTensor
import Testing

/// `data/images/` in this checkout (found from this file's path, because
/// test resources must live inside the test target).
let imageDataDirectory: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }  // …/Tests/NCFImagesTests/x.swift → repo root
  return url.appendingPathComponent("data/images").path
}()

func shippedImagePath(_ name: String) -> String { imageDataDirectory + "/" + name }

/// A fresh empty directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-images-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url.path)
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
  try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func readBytes(_ path: String) throws -> [UInt8] {
  [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// The ImageError `body` throws, or nil (any other error is a test failure).
func caught(_ body: () throws -> Void) -> ImageError? {
  do {
    try body()
    return nil
  } catch let error as ImageError {
    return error
  } catch {
    Issue.record("expected an ImageError, got \(error)")
    return nil
  }
}

/// Uniformly random bytes from a fixed seed.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
  var rng = SeededRandom(seed: seed)
  return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
}

/// A random-noise image (the hardest case for a lossy codec, a good one for
/// lossless round trips).
func noiseImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
  RGBImage(width: width, height: height, pixels: randomBytes(3 * width * height, seed: seed))
}

/// Peak signal-to-noise ratio in dB between two images of the same size.
func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
  precondition(a.width == b.width && a.height == b.height)
  var sse = 0.0
  for (x, y) in zip(a.pixels, b.pixels) {
    let d = Double(x) - Double(y)
    sse += d * d
  }
  let mse = sse / Double(a.pixels.count)
  return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
}

/// The documented alpha rule: composite over white, rounded to nearest.
func overWhite(_ c: UInt8, alpha a: UInt8) -> UInt8 {
  let cc = Int(c), aa = Int(a)
  let numerator: Int = cc * aa + 255 * (255 - aa) + 127
  return UInt8(numerator / 255)
}
