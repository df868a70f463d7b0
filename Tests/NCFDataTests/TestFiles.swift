import Foundation
import NCFData
import NCFTensor

/// The path of a committed fixture file (see Fixtures/README.md).
func fixture(_ name: String) -> String {
  guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
    fatalError("Fixtures folder missing from the test bundle")
  }
  return folder.appendingPathComponent(name).path
}

/// A fresh directory under the system temporary directory, removed on deinit.
final class TemporaryDirectory {
  let path: String

  init() {
    path = FileManager.default.temporaryDirectory
      .appendingPathComponent("ncf-data-tests-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// `path/name`.
  func file(_ name: String) -> String { path + "/" + name }

  /// Writes raw bytes (no atomicity needed in tests) and returns the path.
  @discardableResult
  func write(_ name: String, bytes: [UInt8]) -> String {
    let p = file(name)
    _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
    return p
  }

  @discardableResult
  func write(_ name: String, text: String) -> String { write(name, bytes: Array(text.utf8)) }

  /// Names of the entries in the directory (to check no temporary files remain).
  var entries: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
}

// The formulas make_fixtures.py writes (recomputed, not read back).

/// a[i, j] = 10i + j + 0.5
func gridValues(_ rows: Int, _ columns: Int) -> Tensor<Double> {
  Tensor(rows: rows, columns: columns, scalars: (0..<rows).flatMap { i in (0..<columns).map { j in Double(i * 10 + j) + 0.5 } })
}

/// b[i, j] = (10i + j + 1) / 3
func thirdsValues(_ rows: Int, _ columns: Int) -> Tensor<Double> {
  Tensor(rows: rows, columns: columns, scalars: (0..<rows).flatMap { i in (0..<columns).map { j in Double(i * 10 + j + 1) / 3 } })
}

/// l[k] = 7k mod 5
func labelValues(_ n: Int) -> [Int] { (0..<n).map { ($0 * 7) % 5 } }

/// The bytes of a hand-made `.npy` file: preamble, `header` padded to 64
/// bytes (unless `pad` is false), then `data`.
func npyBytes(header: String, major: UInt8 = 1, data: [UInt8], pad: Bool = true) -> [UInt8] {
  let lengthBytes = major == 1 ? 2 : 4
  var h = Array(header.utf8)
  if pad {
    let unpadded = 8 + lengthBytes + h.count + 1
    h += [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64) + [0x0A]
  }
  let n = h.count
  let length: [UInt8] = (0..<lengthBytes).map { UInt8((n >> (8 * $0)) & 0xFF) }
  return [0x93] + Array("NUMPY".utf8) + [major, 0] + length + h + data
}

/// Little-endian float64 bytes.
func float64Bytes(_ values: [Double]) -> [UInt8] {
  values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}

/// Runs `body` and returns the DataError it throws (nil if none or another type).
func dataError(_ body: () throws -> Any) -> DataError? {
  do {
    _ = try body()
    return nil
  } catch let e as DataError {
    return e
  } catch {
    return nil
  }
}
