import NCFTensor

// MARK: - Random pixel subsets

extension RGBImage {
  /// `count` distinct pixel indices (`y · width + x`), drawn uniformly
  /// without replacement, in random order, determined by `seed` alone (the
  /// same on every platform).
  ///
  /// Uses a sparse Fisher–Yates shuffle: the result is the first `count`
  /// entries of a uniformly random permutation of `0..<pixelCount`.
  /// - Precondition: `0 <= count <= pixelCount`.
  /// - Complexity: O(count) time and memory, independent of the image size.
  public func randomPixelIndices(count: Int, seed: UInt64) -> [Int] {
    let n = pixelCount
    precondition(count >= 0 && count <= n, "Cannot draw \(count) distinct pixels from \(n)")
    var rng = SeededRandom(seed: seed)
    var moved = [Int: Int]()  // the virtual array's entries that differ from their index
    moved.reserveCapacity(count)
    var result = [Int]()
    result.reserveCapacity(count)
    for i in 0..<count {
      let j = i + rng.integer(below: n - i)
      result.append(moved[j] ?? j)
      moved[j] = moved[i] ?? i  // slot i is never read again
    }
    return result
  }

  /// `count` distinct pixels drawn uniformly at random (see
  /// ``randomPixelIndices(count:seed:)``) as a `count × 3` tensor in [0, 1]:
  /// the sample cloud for fitting a colour-transfer map.
  /// - Precondition: `0 <= count <= pixelCount`.
  /// - Complexity: O(count) time and memory.
  public func randomPixels<S: TensorScalar>(count: Int, seed: UInt64, as type: S.Type = S.self) -> Tensor<S> {
    pixelTensor(at: randomPixelIndices(count: count, seed: seed), as: type)
  }
}

// MARK: - Downscaling

/// How ``RGBImage/downscaled(maxSide:filter:)`` combines source pixels.
public enum DownscaleFilter: Sendable {
  /// Area average: each output pixel is the mean of the source pixels it
  /// covers, weighted by covered area (fractional at the edges). Smooth and
  /// alias-free. Averages the encoded sRGB values, as most tools do.
  case box
  /// The source pixel nearest to each output pixel's centre. Keeps only
  /// colours that occur in the source; aliases fine detail.
  case nearest
}

extension RGBImage {
  /// The image shrunk so that its longer side is at most `maxSide`, keeping
  /// the aspect ratio (each side rounded to the nearest integer, at least 1).
  /// An image that already fits is returned unchanged.
  ///
  /// Example: a 451×300 image with `maxSide: 256` becomes 256×170.
  /// - Precondition: `maxSide > 0`.
  /// - Complexity: O(pixels) time; box uses `12 · height · newWidth` bytes
  ///   of scratch memory.
  public func downscaled(maxSide: Int, filter: DownscaleFilter = .box) -> RGBImage {
    precondition(maxSide > 0, "maxSide must be positive, got \(maxSide)")
    let longer = max(width, height)
    guard longer > maxSide else { return self }
    let scale = Double(maxSide) / Double(longer)
    func side(_ n: Int) -> Int { n == longer ? maxSide : max(1, Int((Double(n) * scale).rounded())) }
    return downscaled(toWidth: side(width), height: side(height), filter: filter)
  }

  /// The image shrunk to exactly `newWidth × newHeight` (the aspect ratio
  /// may change).
  /// - Precondition: `1 <= newWidth <= width` and `1 <= newHeight <= height`.
  /// - Complexity: as ``downscaled(maxSide:filter:)``.
  public func downscaled(toWidth newWidth: Int, height newHeight: Int, filter: DownscaleFilter = .box) -> RGBImage {
    precondition(
      newWidth >= 1 && newWidth <= width && newHeight >= 1 && newHeight <= height,
      "Cannot downscale \(width)×\(height) to \(newWidth)×\(newHeight)")
    switch filter {
    case .nearest: return nearestDownscale(newWidth, newHeight)
    case .box: return boxDownscale(newWidth, newHeight)
    }
  }

  private func nearestDownscale(_ newWidth: Int, _ newHeight: Int) -> RGBImage {
    // Source index of each output centre: floor((o + ½) · n / m).
    func sources(_ n: Int, _ m: Int) -> [Int] { (0..<m).map { min(n - 1, (2 * $0 + 1) * n / (2 * m)) } }
    let xs = sources(width, newWidth), ys = sources(height, newHeight)
    var out = [UInt8](repeating: 0, count: 3 * newWidth * newHeight)
    var k = 0
    for y in ys {
      for x in xs {
        let i = 3 * (y * width + x)
        out[k] = pixels[i]; out[k + 1] = pixels[i + 1]; out[k + 2] = pixels[i + 2]
        k += 3
      }
    }
    return RGBImage(width: newWidth, height: newHeight, pixels: out)
  }

  /// For each of `m` output cells over `n` source cells: the first source
  /// index and the weights (covered length / cell length) of the sources it
  /// overlaps. The weights of each cell sum to 1.
  private static func boxWeights(_ n: Int, _ m: Int) -> [(first: Int, weights: [Float])] {
    let step = Double(n) / Double(m)
    return (0..<m).map { o in
      let lo = Double(o) * step, hi = o == m - 1 ? Double(n) : Double(o + 1) * step
      let first = Int(lo.rounded(.down)), last = min(n - 1, Int(hi.rounded(.up)) - 1)
      let weights = (first...last).map { i in
        Float((min(hi, Double(i + 1)) - max(lo, Double(i))) / step)
      }
      return (first, weights)
    }
  }

  private func boxDownscale(_ newWidth: Int, _ newHeight: Int) -> RGBImage {
    let columns = Self.boxWeights(width, newWidth), rowCells = Self.boxWeights(height, newHeight)
    // Pass 1: shrink every source row horizontally (Float, height × newWidth × 3).
    var narrow = [Float](repeating: 0, count: 3 * newWidth * height)
    pixels.withUnsafeBufferPointer { src in
      narrow.withUnsafeMutableBufferPointer { dst in
        for y in 0..<height {
          for (ox, cell) in columns.enumerated() {
            var r: Float = 0, g: Float = 0, b: Float = 0
            for (k, w) in cell.weights.enumerated() {
              let i = 3 * (y * width + cell.first + k)
              r += w * Float(src[i]); g += w * Float(src[i + 1]); b += w * Float(src[i + 2])
            }
            let o = 3 * (y * newWidth + ox)
            dst[o] = r; dst[o + 1] = g; dst[o + 2] = b
          }
        }
      }
    }
    // Pass 2: combine rows vertically and round.
    var out = [UInt8](repeating: 0, count: 3 * newWidth * newHeight)
    let rowLength = 3 * newWidth
    var accumulator = [Float](repeating: 0, count: rowLength)
    for (oy, cell) in rowCells.enumerated() {
      for i in 0..<rowLength { accumulator[i] = 0 }
      for (k, w) in cell.weights.enumerated() {
        let base = (cell.first + k) * rowLength
        for i in 0..<rowLength { accumulator[i] += w * narrow[base + i] }
      }
      for i in 0..<rowLength { out[oy * rowLength + i] = UInt8(min(max(accumulator[i], 0), 255).rounded()) }
    }
    return RGBImage(width: newWidth, height: newHeight, pixels: out)
  }
}
