import NCFTensor

// Pixels as point clouds in the RGB cube [0, 1]³ for colour transfer: a block
// of rows becomes an (n × 3) tensor, one row per pixel, in raster order.
//
// 8-bit value k maps to k / 255 (correctly rounded); a scalar v maps back to
// round(255 · clamp(v, 0, 1)), so image → tensor → image is the identity in
// both Float and Double. The element loops live in _PixelKernels.swift.

extension RGBImage {
  /// The pixels of rows `rows` as a `(rows.count · width) × 3` tensor with
  /// values in [0, 1], in raster order (left to right, top to bottom).
  /// - Precondition: `rows` lies within `0..<height`.
  /// - Complexity: O(rows.count · width) time and memory.
  public func pixelTensor<S: TensorScalar>(rows: Range<Int>, as _: S.Type = S.self) -> Tensor<S> {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= height, "Rows \(rows) outside 0..<\(height)")
    let start = 3 * rows.lowerBound * width, count = 3 * rows.count * width
    return Tensor(rows: rows.count * width, columns: 3) { out in
      storage.withUnsafeBufferPointer { src in
        PixelKernels.toUnit(UnsafeBufferPointer(rebasing: src[start..<(start + count)]), out)
      }
    }
  }

  /// All pixels as a `pixelCount × 3` tensor with values in [0, 1].
  /// - Complexity: O(pixels) memory: 12 bytes a pixel in Float, 24 in
  ///   Double. For large images prefer ``forEachRowBlock(rows:as:_:)`` or
  ///   ``mapRowBlocks(rows:as:_:)``.
  public func pixelTensor<S: TensorScalar>(as type: S.Type = S.self) -> Tensor<S> {
    pixelTensor(rows: 0..<height, as: type)
  }

  /// The pixels at the given raster indices (`y · width + x`) as an
  /// `indices.count × 3` tensor with values in [0, 1].
  /// - Precondition: every index is in `0..<pixelCount`.
  public func pixelTensor<S: TensorScalar>(at indices: [Int], as _: S.Type = S.self) -> Tensor<S> {
    let n = pixelCount
    var gathered = [UInt8](repeating: 0, count: 3 * indices.count)
    for (row, p) in indices.enumerated() {
      precondition(p >= 0 && p < n, "Pixel index \(p) outside 0..<\(n)")
      for c in 0..<3 { gathered[3 * row + c] = storage[3 * p + c] }
    }
    return Tensor(rows: indices.count, columns: 3) { out in
      gathered.withUnsafeBufferPointer { PixelKernels.toUnit($0, out) }
    }
  }

  /// Creates an image from a `(width · height) × 3` tensor in raster order,
  /// quantising each value v to `round(255 · clamp(v, 0, 1))`.
  /// - Precondition: `width > 0`, `height > 0`, `tensor.rows == width * height`,
  ///   `tensor.columns == 3`, no NaN (±∞ clamp like any other value).
  public init<S: TensorScalar>(width: Int, height: Int, pixelTensor tensor: Tensor<S>) {
    self.init(width: width, height: height, repeating: RGBPixel(grey: 0))
    setPixels(rows: 0..<height, from: tensor)
  }

  /// Overwrites rows `rows` with a `(rows.count · width) × 3` tensor in
  /// raster order, quantising each value v to `round(255 · clamp(v, 0, 1))`.
  /// - Precondition: `rows` lies within `0..<height`; the tensor has shape
  ///   `(rows.count · width) × 3`; no NaN (a NaN pixel means the map that
  ///   produced it is broken, and silently painting it black would hide that).
  public mutating func setPixels<S: TensorScalar>(rows: Range<Int>, from tensor: Tensor<S>) {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= height, "Rows \(rows) outside 0..<\(height)")
    precondition(
      tensor.rows == rows.count * width && tensor.columns == 3,
      "Rows \(rows) of a \(width)-wide image need a \(rows.count * width)×3 tensor, "
        + "got \(tensor.rows)×\(tensor.columns)")
    let start = 3 * rows.lowerBound * width, count = tensor.scalars.count
    let sawNaN = storage.withUnsafeMutableBufferPointer { dst in
      tensor.scalars.withUnsafeBufferPointer { src in
        PixelKernels.quantize(src, UnsafeMutableBufferPointer(rebasing: dst[start..<(start + count)]))
      }
    }
    precondition(!sawNaN, "NaN in the pixel tensor for rows \(rows)")
  }

  /// Calls `body` with successive blocks of at most `blockHeight` rows, each
  /// as a `(rows.count · width) × 3` tensor in [0, 1]. Blocks are visited
  /// top to bottom and cover every row exactly once.
  ///
  /// Memory: one block tensor at a time (`12 · blockHeight · width` bytes in
  /// Float: 12 MB for 256 rows of a 4000-pixel-wide photo), never a copy of
  /// the whole image.
  /// - Precondition: `blockHeight > 0`.
  public func forEachRowBlock<S: TensorScalar>(
    rows blockHeight: Int = 256, as type: S.Type = S.self, _ body: (Range<Int>, Tensor<S>) throws -> Void
  ) rethrows {
    precondition(blockHeight > 0, "Row blocks need a positive height, got \(blockHeight)")
    for top in stride(from: 0, to: height, by: blockHeight) {
      let rows = top..<min(top + blockHeight, height)
      try body(rows, pixelTensor(rows: rows, as: type))
    }
  }

  /// Transforms the image in place, block by block: `transform` receives
  /// each block of at most `blockHeight` rows as in
  /// ``forEachRowBlock(rows:as:_:)`` and returns the new colours for it,
  /// which are quantised as in ``setPixels(rows:from:)``.
  ///
  /// This is how a colour-transfer map is applied to a 12-megapixel photo
  /// without a full-size Float copy: peak extra memory is one input block
  /// plus the tensor `transform` returns. If `transform` throws, the rows of
  /// earlier blocks are already changed.
  /// - Precondition: `blockHeight > 0`; each returned tensor has the shape
  ///   of its input and no NaN.
  public mutating func mapRowBlocks<S: TensorScalar>(
    rows blockHeight: Int = 256, as type: S.Type = S.self, _ transform: (Range<Int>, Tensor<S>) throws -> Tensor<S>
  ) rethrows {
    precondition(blockHeight > 0, "Row blocks need a positive height, got \(blockHeight)")
    for top in stride(from: 0, to: height, by: blockHeight) {
      let rows = top..<min(top + blockHeight, height)
      let mapped = try transform(rows, pixelTensor(rows: rows, as: type))
      setPixels(rows: rows, from: mapped)
    }
  }
}
