import Foundation
import NCFTensor
import NCFFlows
import NCFImages

/// A map of colours: n×3 RGB values in [0, 1] to n×3 new values (which may
/// leave the cube; images clamp them when quantising).
///
/// One requirement; everything else (recolouring whole images block by
/// block) comes from extensions.
public protocol ColorMap: Sendable {
  /// The images of the rows of `colours` (n×3 → n×3).
  func map(_ colours: Tensor<Double>) -> Tensor<Double>
}

/// Leaves colours unchanged (the "no transfer" reference).
public struct IdentityColorMap: ColorMap {
  public init() {}
  public func map(_ colours: Tensor<Double>) -> Tensor<Double> { colours }
}

/// An NCF model used as a colour map: the forward map T (content → style
/// colours) or the backward map S (style → content colours) of one model.
public struct NCFColorMap: ColorMap {
  /// Which of the model's two maps.
  public enum Direction: String, Sendable, Codable, CaseIterable {
    /// T(x) = x + ∇h(∇u(x, 0)): source (content) → target (style).
    case forward
    /// S(y) = y − ∇h(∇u(y, 1)): target (style) → source (content).
    case backward
  }

  public let model: NCFModel
  public let direction: Direction

  /// - Precondition: the model is 3-D.
  public init(model: NCFModel, direction: Direction) {
    precondition(model.dimension == 3, "a colour map needs a 3-D model, this one is \(model.dimension)-D")
    self.model = model
    self.direction = direction
  }

  /// Large inputs are split into one contiguous chunk per core, mapped
  /// concurrently (a model is an immutable value, safe to share), and
  /// stacked in order; the result does not depend on the number of cores.
  /// The chunks already use every core, so set `BLASThreads` to 1 while
  /// mapping large images (measured: a 12-megapixel photo took 40 s with
  /// OpenBLAS's own threads on top, 28 s without, on a busy 2-core machine).
  public func map(_ colours: Tensor<Double>) -> Tensor<Double> {
    let chunks = min(ProcessInfo.processInfo.activeProcessorCount, colours.rows / Self.rowsPerChunk)
    guard chunks > 1 else { return apply(colours) }
    let parts = ChunkResults(count: chunks)
    let rows = colours.rows
    DispatchQueue.concurrentPerform(iterations: chunks) { k in
      parts.set(k, apply(colours.rows((rows * k / chunks)..<(rows * (k + 1) / chunks))))
    }
    return Tensor.concatenatingRows(parts.values)
  }

  /// Inputs below twice this many rows are mapped on the calling thread.
  static let rowsPerChunk = 1 << 14

  private func apply(_ colours: Tensor<Double>) -> Tensor<Double> {
    direction == .forward ? model.forward(colours) : model.backward(colours)
  }
}

/// Results of concurrent chunks, each slot written by exactly one task.
private final class ChunkResults: @unchecked Sendable {
  private var slots: [Tensor<Double>?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ k: Int, _ value: Tensor<Double>) {
    lock.lock()
    slots[k] = value
    lock.unlock()
  }

  var values: [Tensor<Double>] { slots.map { $0! } }
}

/// Why an image could not be recoloured.
public enum ColorTransferError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The map returned NaN or ±∞ for some pixel (a broken model); nothing usable was produced.
  case nonFiniteColour(row: Int, column: Int)
  /// The caller asked to stop (e.g. Ctrl-C).
  case cancelled
  /// An input image has fewer pixels than the computation needs.
  case tooFewPixels(role: String, count: Int, needed: Int)
  /// A failure while recolouring the named image (its path or role).
  indirect case recolouring(String, ColorTransferError)
  /// An image whose pixels are (nearly) all one colour (``SampleSpread``),
  /// which NCF cannot train with; `role` is "content" or "style".
  case singleColour(role: String, SampleSpread.Collapse)
  /// A problem with the image at this path (``tooFewPixels(role:count:needed:)``, ``singleColour(role:_:)``).
  indirect case image(String, ColorTransferError)

  public var description: String {
    switch self {
    case .nonFiniteColour(let y, let x):
      return "the colour map gives NaN or infinity at pixel (x \(x), y \(y)); the model is broken — retrain with a smaller learning rate"
    case .cancelled:
      return "cancelled"
    case .tooFewPixels(let role, let count, let needed):
      return "the \(role) image has \(count) pixels, need at least \(needed)"
    case .recolouring(let image, let error):
      return "\(image): \(error); nothing was written"
    case .singleColour(let role, let c):
      let colour = c.point.map { String(Int(($0 * 255).rounded())) }.joined(separator: ", ")
      let what = "the \(role) image is (nearly) one colour: its \(c.count) pixels are all close to RGB (\(colour)) "
        + "(RMS spread \(NumberFormat.sci(255 * c.spread)) against \(NumberFormat.sci(255 * c.pooledSpread)) for both images, in 0–255 units)"
      return role == "style"
        ? what + "; recolouring with one colour paints every pixel that colour, needs no model, and NCF cannot learn that map"
        : what + "; no map can spread one colour over the style's palette, so NCF cannot train on it"
    case .image(let path, let error):
      return "\(path): \(error)"
    }
  }

  /// This error with the path of the image it is about (content or style), when known.
  func naming(content: String?, style: String?) -> ColorTransferError {
    switch self {
    case .tooFewPixels(let role, _, _), .singleColour(let role, _):
      return (role == "style" ? style : content).map { .image($0, self) } ?? self
    default:
      return self
    }
  }
}

extension SampleSpread.Moments {
  /// The moments of an image's colours, RGB in [0, 1] (what ``PixelSampler``
  /// draws), accumulated over the pixel bytes without a pixel tensor.
  /// - Complexity: O(pixels), two passes.
  init(colours image: RGBImage) {
    let bytes = image.pixels, n = image.pixelCount
    var sum = [0.0, 0.0, 0.0], largest: UInt8 = 0
    for i in 0..<n { for k in 0..<3 { sum[k] += Double(bytes[3 * i + k]); largest = max(largest, bytes[3 * i + k]) } }
    let mean = sum.map { $0 / Double(max(n, 1)) / 255 }
    var ss = 0.0
    for i in 0..<n { for k in 0..<3 { let e = Double(bytes[3 * i + k]) / 255 - mean[k]; ss += e * e } }
    self.init(count: n, mean: mean, squaredDeviations: ss, largestMagnitude: Double(largest) / 255)
  }
}

extension RGBImage {
  /// Rows per block when recolouring: about 2¹⁶ pixels, at least one row.
  public func recolorBlockRows(pixelsPerBlock: Int = 1 << 16) -> Int { max(1, pixelsPerBlock / width) }

  /// A copy of the image with every pixel replaced by its image under
  /// `map`, clamped to [0, 1] and rounded to 8 bits.
  ///
  /// The work is done block by block (``mapRowBlocks(rows:as:_:)``) with
  /// blocks of about `pixelsPerBlock` pixels, so memory is the output image
  /// (3 bytes a pixel) plus a few block-sized tensors, whatever the image
  /// size: a 12-megapixel photo needs the 36 MB copy plus ~10 MB of blocks.
  ///
  /// - Parameters:
  ///   - progress: called after each block with (rows done, total rows);
  ///     return false to stop (throws ``ColorTransferError/cancelled``).
  /// - Throws: ``ColorTransferError/nonFiniteColour(row:column:)`` when the
  ///   map returns NaN or ±∞ (instead of painting such pixels black);
  ///   ``ColorTransferError/cancelled``.
  /// - Complexity: O(pixels) calls' worth of `map`.
  public func recolored(
    by map: some ColorMap, pixelsPerBlock: Int = 1 << 16, progress: ((Int, Int) -> Bool)? = nil
  ) throws(ColorTransferError) -> RGBImage {
    var out = self
    let width = self.width, height = self.height
    do {
      try out.mapRowBlocks(rows: recolorBlockRows(pixelsPerBlock: pixelsPerBlock), as: Double.self) { rows, block in
        let mapped = map.map(block)
        precondition(mapped.rows == block.rows && mapped.columns == 3, "a colour map must return n×3 colours")
        if let k = mapped.scalars.firstIndex(where: { !$0.isFinite }) {
          let pixel = k / 3
          throw ColorTransferError.nonFiniteColour(row: rows.lowerBound + pixel / width, column: pixel % width)
        }
        if let progress, !progress(rows.upperBound, height) { throw ColorTransferError.cancelled }
        return mapped
      }
    } catch let error as ColorTransferError {
      throw error
    } catch {
      preconditionFailure("unexpected error \(error)")
    }
    return out
  }
}
