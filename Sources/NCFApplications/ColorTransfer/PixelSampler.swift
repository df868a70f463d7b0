import NCFTensor
import NCFFlows
import NCFImages

/// Random pixels of an image as a training source for the NCF trainer.
public enum PixelSampler {
  /// A ``SampleSource`` that returns n random pixels of `image` as an n×3
  /// tensor of RGB values in [0, 1] each time it is called.
  ///
  /// Each call draws a fresh subset: n distinct pixels (uniform, without
  /// replacement) when n ≤ the pixel count, otherwise n pixels with
  /// replacement. All randomness comes from the generator the trainer
  /// passes in, so the trainer's seed fixes every batch.
  ///
  /// - Complexity: O(n) time and memory per call, independent of the image size.
  public static func source(_ image: RGBImage) -> SampleSource {
    .sampler(dimension: 3) { n, rng in
      if n <= image.pixelCount {
        return image.randomPixels(count: n, seed: rng.next(), as: Double.self)
      }
      let indices = (0..<n).map { _ in rng.integer(below: image.pixelCount) }
      return image.pixelTensor(at: indices, as: Double.self)
    }
  }
}
