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
    }
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
