import Foundation

extension SampleFile {
  /// A weight vector (a discrete measure's masses): a 1-D or n×1 `.npy`
  /// array, or a one-column `.csv`/`.tsv`/`.txt` table. Values are returned
  /// as read (signs and totals are the problem's to check).
  /// - Throws: ``DataError`` naming the file (`.wrongRank` for more columns).
  public static func readWeights(path: String) throws -> [Double] {
    if (try? Format(path: path)) == .npy {
      let header = try NPY.readHeader(path: path)
      if header.shape.count == 1 { return try oneDimensionalNPY(path, header: header) }
      guard header.shape.count == 2, header.shape[1] == 1 else {
        throw DataError(.wrongRank(shape: header.shape, expected: "a 1-D (n,) or n×1 array of weights"), path: path)
      }
      return try NPY.readTensor(path: path, as: Double.self).scalars
    }
    let table = try readSamples(path: path)
    guard table.columns == 1 else {
      throw DataError(.wrongRank(shape: [table.rows, table.columns], expected: "one column of weights"), path: path)
    }
    return table.scalars
  }

  /// A 1-D `.npy` array, read through the n×1 reader: its data are laid out
  /// exactly like an (n, 1) array's, so the file is re-headed in a temporary
  /// copy. (The .npy reader reads 2-D float arrays and 1-D integer labels.)
  private static func oneDimensionalNPY(_ path: String, header: NPY.Header) throws -> [Double] {
    let n = header.shape[0]
    guard n > 0 else { throw DataError(.empty(shape: header.shape), path: path) }
    let bytes = try FileIO.read(path)
    let payload = bytes.count > header.dataOffset ? bytes[header.dataOffset...] : Data()
    guard payload.count >= header.dataByteCount else {
      throw DataError(.truncated(expectedBytes: header.dataByteCount, actualBytes: payload.count), path: path)
    }
    var dictionary = "{'descr': '\(header.dtype.descr)', 'fortran_order': False, 'shape': (\(n), 1), }"
    let unpadded = 10 + dictionary.utf8.count + 1
    dictionary += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var file = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(dictionary.utf8.count)
    file.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    file.append(contentsOf: Array(dictionary.utf8))
    file.append(payload.prefix(header.dataByteCount))
    let temporary = FileManager.default.temporaryDirectory
      .appendingPathComponent("ncf-weights-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).npy")
    do { try file.write(to: temporary) } catch {
      throw DataError(.unreadable(reason: "cannot stage a temporary copy: \(error.localizedDescription)"), path: path)
    }
    defer { try? FileManager.default.removeItem(at: temporary) }
    do {
      return try NPY.readTensor(path: temporary.path, as: Double.self).scalars
    } catch let e as DataError {
      throw DataError(e.kind, path: path)  // name the user's file, not the copy
    }
  }
}
