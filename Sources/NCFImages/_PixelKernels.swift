import NCFTensor

// The per-element loops between bytes and [0, 1] scalars, written for
// concrete Float and Double. Why not generic: even when specialised, generic
// integer ↔ floating-point conversions (`S(byte)`, `Int32(x)`) go through the
// standard library's generic conversion algorithm instead of one instruction,
// which measured 5–6× slower (about 1.2 s instead of 0.2 s for 36 M values).
// The generic entry points test `S.self` once per call and rebind the buffer.

enum PixelKernels {
  /// dst[i] = src[i] / 255.
  static func toUnit<S: TensorScalar>(_ src: UnsafeBufferPointer<UInt8>, _ dst: UnsafeMutableBufferPointer<S>) {
    precondition(src.count == dst.count)
    if S.self == Float.self {
      dst.withMemoryRebound(to: Float.self) { toUnit(src, $0) }
    } else if S.self == Double.self {
      dst.withMemoryRebound(to: Double.self) { toUnit(src, $0) }
    } else {
      for i in 0..<src.count { dst[i] = S(src[i]) / 255 }
    }
  }

  /// dst[i] = round(255 · clamp(src[i], 0, 1)), half away from zero.
  /// Returns true if some src[i] is NaN (those bytes are set to 0).
  static func quantize<S: TensorScalar>(_ src: UnsafeBufferPointer<S>, _ dst: UnsafeMutableBufferPointer<UInt8>)
    -> Bool
  {
    precondition(src.count == dst.count)
    if S.self == Float.self {
      return src.withMemoryRebound(to: Float.self) { quantize($0, dst) }
    } else if S.self == Double.self {
      return src.withMemoryRebound(to: Double.self) { quantize($0, dst) }
    } else {
      var sawNaN = false
      for i in 0..<src.count {
        let v = src[i]
        sawNaN = sawNaN || v.isNaN
        let clamped: S = v > 0 ? (v < 1 ? v : 1) : 0
        dst[i] = UInt8((clamped * 255).rounded())
      }
      return sawNaN
    }
  }

  private static func toUnit(_ src: UnsafeBufferPointer<UInt8>, _ dst: UnsafeMutableBufferPointer<Float>) {
    for i in 0..<src.count { dst[i] = Float(src[i]) / 255 }  // correctly rounded k/255
  }

  private static func toUnit(_ src: UnsafeBufferPointer<UInt8>, _ dst: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<src.count { dst[i] = Double(src[i]) / 255 }
  }

  private static func quantize(_ src: UnsafeBufferPointer<Float>, _ dst: UnsafeMutableBufferPointer<UInt8>) -> Bool {
    var sawNaN = false
    for i in 0..<src.count {
      let v = src[i]
      sawNaN = sawNaN || v.isNaN
      // NaN fails both comparisons and lands on 0; ±∞ clamp like any value.
      let x: Float = v > 0 ? (v < 1 ? v * 255 : 255) : 0
      // Truncate, then round half up: exact (x − t is computed without
      // error) and much cheaper than .rounded(), a libm call on baseline x86-64.
      let t = Int32(x)
      dst[i] = UInt8(truncatingIfNeeded: x - Float(t) >= 0.5 ? t + 1 : t)
    }
    return sawNaN
  }

  private static func quantize(_ src: UnsafeBufferPointer<Double>, _ dst: UnsafeMutableBufferPointer<UInt8>) -> Bool {
    var sawNaN = false
    for i in 0..<src.count {
      let v = src[i]
      sawNaN = sawNaN || v.isNaN
      let x: Double = v > 0 ? (v < 1 ? v * 255 : 255) : 0
      // Truncate, then round half up: exact (x − t is computed without
      // error) and much cheaper than .rounded(), a libm call on baseline x86-64.
      let t = Int32(x)
      dst[i] = UInt8(truncatingIfNeeded: x - Double(t) >= 0.5 ? t + 1 : t)
    }
    return sawNaN
  }
}
