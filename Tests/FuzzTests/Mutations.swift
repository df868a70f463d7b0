import Foundation
import NCFTensor

/// Seeded byte-level damage: what a bad disk, a cut download or a careless
/// tool does to a file.
enum Mutations {
  static let specialBytes: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x20, 0x0A, 0x0D, 0x22, 0x27, 0x2C, 0x2D, 0x39, 0x5B, 0x28, 0x7B]

  /// One to three random edits of `bytes`, with a short description.
  static func damage(_ bytes: [UInt8], _ rng: inout SeededRandom) -> (bytes: [UInt8], what: String) {
    var b = bytes
    var what: [String] = []
    for _ in 0...rng.integer(below: 3) {
      let n = b.count
      switch rng.integer(below: 8) {
      case 0...1 where n > 0:
        let i = rng.integer(below: n), bit = rng.integer(below: 8)
        b[i] ^= UInt8(1 << bit)
        what.append("flip bit \(bit) of byte \(i)")
      case 2 where n > 0:
        let i = rng.integer(below: n)
        b[i] = specialBytes[rng.integer(below: specialBytes.count)]
        what.append("set byte \(i) to \(b[i])")
      case 3:
        let cut = rng.integer(below: n + 1)
        b = Array(b.prefix(cut))
        what.append("truncate to \(cut)")
      case 4:
        let i = rng.integer(below: n + 1), k = 1 + rng.integer(below: 16)
        b.insert(contentsOf: (0..<k).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: i)
        what.append("insert \(k) random bytes at \(i)")
      case 5 where n > 1:
        let i = rng.integer(below: n), k = 1 + rng.integer(below: min(64, n - i))
        b.removeSubrange(i..<(i + k))
        what.append("delete \(k) bytes at \(i)")
      case 6 where n > 1:
        let i = rng.integer(below: n), k = 1 + rng.integer(below: min(64, n - i))
        b.insert(contentsOf: b[i..<(i + k)], at: rng.integer(below: n + 1))
        what.append("duplicate \(k) bytes from \(i)")
      default:
        let k = 1 + rng.integer(below: 32)
        b += (0..<k).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        what.append("append \(k) random bytes")
      }
    }
    return (b, what.joined(separator: ", "))
  }

  static func pick<T>(_ items: [T], _ rng: inout SeededRandom) -> T { items[rng.integer(below: items.count)] }

  static func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
  static func bigEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

  /// CRC-32 (the PNG chunk checksum), bitwise.
  static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      c ^= UInt32(b)
      for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }
    return c ^ 0xFFFF_FFFF
  }
}
