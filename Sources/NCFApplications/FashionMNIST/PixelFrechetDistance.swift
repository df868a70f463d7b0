import Foundation
import NCFTensor

/// Bilinear resizing of grey 8-bit images exactly as Pillow's
/// `Image.resize(size, Image.BILINEAR)` computes it (its Resample.c): a
/// triangle filter whose support widens when shrinking, coefficients
/// normalised and rounded to 22-bit fixed point, a horizontal pass to 8-bit
/// intermediates, then a vertical pass. torchvision's `Resize` on PIL images
/// calls this, which is how GNOT brought MNIST to 32×32.
public enum PillowBilinear {
  static let precisionBits = 22

  /// For every output index, the first input index and the fixed-point
  /// weights of the inputs it reads.
  static func coefficients(inputSize: Int, outputSize: Int) -> [(first: Int, weights: [Int64])] {
    let scale = Double(inputSize) / Double(outputSize)
    let filterScale = max(scale, 1)
    let support = 1.0 * filterScale  // the bilinear filter's support is 1
    return (0..<outputSize).map { xx in
      let center = (Double(xx) + 0.5) * scale
      let xmin = max(Int(center - support + 0.5), 0)  // Int() truncates like C's (int) cast
      let xmax = min(Int(center + support + 0.5), inputSize) - xmin
      var w = (0..<max(xmax, 0)).map { x -> Double in
        let t = abs((Double(x + xmin) - center + 0.5) / filterScale)
        return t < 1 ? 1 - t : 0
      }
      let total = w.reduce(0, +)
      if total != 0 { w = w.map { $0 / total } }
      let one = Double(1 << precisionBits)
      return (xmin, w.map { Int64($0 < 0 ? -0.5 + $0 * one : 0.5 + $0 * one) })
    }
  }

  static func clip8(_ v: Int64) -> UInt8 {
    if v >= Int64(1) << (precisionBits + 8) { return 255 }
    if v <= 0 { return 0 }
    return UInt8(v >> precisionBits)
  }

  /// `pixels` (height×width bytes, row-major) resized to `outWidth`×`outHeight`.
  public static func resize(_ pixels: [UInt8], width: Int, height: Int, outWidth: Int, outHeight: Int) -> [UInt8] {
    precondition(pixels.count == width * height && outWidth > 0 && outHeight > 0, "a width×height image and a positive size")
    let half = Int64(1) << (precisionBits - 1)
    let h = coefficients(inputSize: width, outputSize: outWidth)
    var mid = [UInt8](repeating: 0, count: outWidth * height)
    for y in 0..<height {
      for (xx, c) in h.enumerated() {
        var s = half
        for (k, w) in c.weights.enumerated() { s += Int64(pixels[y * width + c.first + k]) * w }
        mid[y * outWidth + xx] = clip8(s)
      }
    }
    let v = coefficients(inputSize: height, outputSize: outHeight)
    var out = [UInt8](repeating: 0, count: outWidth * outHeight)
    for (yy, c) in v.enumerated() {
      for x in 0..<outWidth {
        var s = half
        for (k, w) in c.weights.enumerated() { s += Int64(mid[(c.first + k) * outWidth + x]) * w }
        out[yy * outWidth + x] = clip8(s)
      }
    }
    return out
  }
}

/// The Fréchet distance between Gaussian fits of two image sets on raw
/// pixels, GNOT's "FID" protocol (Asadulaev et al., ICLR 2024): every image
/// is quantised to bytes, resized to 32×32 with Pillow's bilinear filter and
/// scaled to [0, 1]; then
///
///     FD = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}
///
/// with unbiased covariances (n − 1). tr(Σ₁^{1/2}Σ₂Σ₁^{1/2})^{1/2} equals the
/// tr(Σ₁Σ₂)^{1/2} of the usual formula and is computed from symmetric
/// eigendecompositions (negative round-off eigenvalues clamped to 0).
public enum PixelFrechetDistance {
  /// The mean and covariance of a set of images.
  public struct Statistics: Sendable {
    public var mean: [Double]
    public var covariance: Tensor<Double>

    /// - Precondition: a symmetric d×d covariance for a mean of d entries.
    public init(mean: [Double], covariance: Tensor<Double>) {
      precondition(covariance.rows == mean.count && covariance.columns == mean.count, "a d×d covariance for d means")
      self.mean = mean
      self.covariance = covariance
    }
  }

  /// Side of the resized images.
  public static let side = 32

  /// Images (rows of side×side values in [0, 1]) as GNOT feeds them: bytes
  /// (rounded), resized to 32×32, divided by 255.
  public static func protocolPixels(_ images: Tensor<Float>, side: Int) -> Tensor<Double> {
    precondition(images.columns == side * side, "images of side² pixels")
    var out = [Double]()
    out.reserveCapacity(images.rows * Self.side * Self.side)
    for r in 0..<images.rows {
      let bytes = images.row(r).map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
      let big = side == Self.side ? bytes : PillowBilinear.resize(bytes, width: side, height: side, outWidth: Self.side, outHeight: Self.side)
      out += big.map { Double($0) / 255 }
    }
    return Tensor(rows: images.rows, columns: Self.side * Self.side, scalars: out)
  }

  /// Mean and unbiased covariance of the rows of `x` (at least 2 rows).
  public static func statistics(_ x: Tensor<Double>) -> Statistics {
    precondition(x.rows >= 2, "statistics need at least two samples")
    let mean = x.mean(alongAxis: 0)
    let centred = x - mean
    let cov = Tensor.matmul(centred, centred, transposeA: true) * (1 / Double(x.rows - 1))
    return Statistics(mean: mean.scalars, covariance: cov)
  }

  /// The statistics of images under the protocol.
  public static func statistics(images: Tensor<Float>, side: Int) -> Statistics {
    statistics(protocolPixels(images, side: side))
  }

  /// The Fréchet distance between two fits.
  /// - Throws: ``LinearAlgebra/Error`` if an eigendecomposition fails.
  public static func distance(_ a: Statistics, _ b: Statistics) throws -> Double {
    precondition(a.mean.count == b.mean.count, "statistics of the same dimension")
    let meanTerm = zip(a.mean, b.mean).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let n = a.mean.count
    let traceA = (0..<n).reduce(0.0) { $0 + a.covariance[$1, $1] }
    let traceB = (0..<n).reduce(0.0) { $0 + b.covariance[$1, $1] }
    let rootA = try LinearAlgebra.symmetricFunction(symmetrised(a.covariance)) { max($0, 0).squareRoot() }
    let m = symmetrised(Tensor.matmul(Tensor.matmul(rootA, b.covariance), rootA))
    let cross = try LinearAlgebra.symmetricEigen(m).values.reduce(0.0) { $0 + max($1, 0).squareRoot() }
    return meanTerm + traceA + traceB - 2 * cross
  }

  static func symmetrised(_ m: Tensor<Double>) -> Tensor<Double> { (m + m.transposed()) * 0.5 }
}
