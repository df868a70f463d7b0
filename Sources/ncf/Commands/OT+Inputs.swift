import Foundation
import NCFTensor
import NCFTransport
import NCFData

/// A ground cost given on the command line.
struct OTCost: CustomStringConvertible {
  let ground: GroundCost
  /// The spelling for the output (`sqeuclidean`, `euclidean`, `lp:1.5`).
  let name: String

  /// Parses `sqeuclidean` (also `sq-euclidean`, `l2sq`), `euclidean` (also `l2`)
  /// and `lp:P` with P ≥ 1.
  init?(_ text: String) {
    let t = text.lowercased()
    switch t {
    case "sqeuclidean", "sq-euclidean", "l2sq": ground = .squaredEuclidean(); name = "sqeuclidean"
    case "euclidean", "l2": ground = .euclidean; name = "euclidean"
    default:
      let parts = t.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[0] == "lp", let p = Double(parts[1]), p >= 1, p.isFinite else { return nil }
      ground = .minkowskiPower(p: p)
      name = "lp:\(p == p.rounded() ? String(Int(p)) : String(p))"
    }
  }

  /// The formula, for the output.
  var description: String {
    switch ground {
    case .squaredEuclidean: return "squared Euclidean, c(x, y) = ‖x − y‖² (no ½)"
    case .euclidean: return "Euclidean, c(x, y) = ‖x − y‖"
    case .minkowskiPower(let p): return "c(x, y) = Σₖ |xₖ − yₖ|^\(p == p.rounded() ? String(Int(p)) : String(p))"
    }
  }
}

/// Reading the inputs of `ncf ot` with one-line errors naming the file.
enum OTInputs {
  /// The largest n·m accepted: the cost matrix alone takes 8·n·m bytes
  /// (Sinkhorn keeps a transposed copy too).
  static let maximumPairs = 150_000_000

  /// n×d points.
  static func points(_ path: String) throws -> Tensor<Double> {
    do { return try SampleFile.readSamples(path: path) } catch let e as DataError { throw CLIError(e.description) }
  }

  /// A weight vector: a 1-D or n×1 `.npy` array, or a one-column text table.
  /// Values are returned as read (signs and totals are checked by the problem).
  static func weights(_ path: String) throws -> [Double] {
    do {
      if (try? SampleFile.Format(path: path)) == .npy {
        let header = try NPY.readHeader(path: path)
        if header.shape.count == 1 { return try oneDimensionalNPY(path, header: header) }
        guard header.shape.count == 2, header.shape[1] == 1 else {
          throw DataError(.wrongRank(shape: header.shape, expected: "a 1-D (n,) or n×1 array of weights"), path: path)
        }
        return try NPY.readTensor(path: path, as: Double.self).scalars
      }
      let table = try SampleFile.readSamples(path: path)
      guard table.columns == 1 else {
        throw CLIError("\(path): a weights table must have one column, found \(table.columns)")
      }
      return table.scalars
    } catch let e as DataError {
      throw CLIError(e.description)
    }
  }

  /// A 1-D `.npy` array, read through the n×1 reader: its data are laid out
  /// exactly like an (n, 1) array's, so the file is re-headed in a temporary
  /// copy. (NCFData reads only 2-D float arrays and 1-D integer labels.)
  private static func oneDimensionalNPY(_ path: String, header: NPY.Header) throws -> [Double] {
    let n = header.shape[0]
    guard n > 0 else { throw DataError(.empty(shape: header.shape), path: path) }
    guard let bytes = FileManager.default.contents(atPath: path) else {
      throw DataError(.unreadable(reason: "cannot read the file"), path: path)
    }
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
