import Foundation
import NCFFileSystem
import NCFTensor
import NCFNetworks
import NCFTransport

/// Saving and loading ``NCFModel``s: one self-describing binary file.
///
/// Layout (all integers little-endian):
///
///     "NCFMODEL"                 8 bytes, magic
///     format version             UInt32
///     header length H            UInt64
///     header                     H bytes of JSON: architecture, cost, t_f, normalisation,
///                                training settings, certificate, parameter names and shapes
///     weights                    Float32 values of every parameter, in header order
///     checksum                   UInt64, FNV-1a over every preceding byte
///
/// Loading checks each part and reports a damaged, truncated or too-new
/// file as a ``ModelFileError`` — never a crash or a silently wrong model.
/// The checksum guards against damage, not against a crafted header: every
/// header field (architecture, shapes, byte counts, normalisation, terminal
/// time, cost) is validated before any weight is read or any model built.
/// Saving writes a temporary file next to the target and renames it, so an
/// interrupted save never leaves a partial model behind.
public enum ModelFile {
  /// The format version this build writes and the newest it reads.
  public static let formatVersion: UInt32 = 1
  static let magic = Array("NCFMODEL".utf8)

  struct Header: Codable {
    var network: PotentialNetwork
    var cost: Cost
    var terminalTime: Double
    var normalization: Normalization
    var configuration: NCFTrainingConfiguration?
    var certificate: TrainingCertificate?
    var parameters: [ParameterShape]
    var scalarType: String
    var writer: String
  }

  struct ParameterShape: Codable {
    var name: String
    var rows: Int
    var columns: Int
  }

  /// The serialised bytes of `model`.
  /// - Throws: ``ModelFileError/unsaveable(_:)`` for a model with a custom Hamiltonian.
  public static func encode(_ model: NCFModel) throws -> Data {
    guard let cost = model.cost else {
      throw ModelFileError(path: "", reason: "a model with a custom Hamiltonian cannot be saved (its h is code, not data)")
    }
    let header = Header(
      network: model.network, cost: cost, terminalTime: model.terminalTime, normalization: model.normalization,
      configuration: model.configuration, certificate: model.certificate,
      parameters: zip(model.parameters.names, model.parameters.tensors).map {
        ParameterShape(name: $0, rows: $1.rows, columns: $1.columns)
      },
      scalarType: "float32", writer: "ncf")
    let json = try JSONFormat.encoder().encode(header)
    var data = Data(magic)
    append(&data, formatVersion)
    append(&data, UInt64(json.count))
    data.append(json)
    for t in model.parameters.tensors {
      for x in t.scalars { append(&data, x.bitPattern) }
    }
    append(&data, fnv1a(data))
    return data
  }

  /// Reads a model from bytes; `path` only labels error messages.
  public static func decode(_ data: Data, path: String = "<memory>") throws -> NCFModel {
    func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
    let bytes = [UInt8](data)
    guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
      throw fail("not an ncf model file (bad magic bytes)")
    }
    guard bytes.count >= 8 + 4 + 8 + 8 else { throw fail("file is truncated (\(bytes.count) bytes)") }
    let version: UInt32 = read(bytes, at: 8)
    guard version <= formatVersion else {
      throw fail("model format version \(version) is newer than this ncf supports (\(formatVersion)); upgrade ncf")
    }
    guard version >= 1 else { throw fail("invalid format version \(version)") }
    let headerLength: UInt64 = read(bytes, at: 12)
    let headerStart = 20
    guard headerLength <= UInt64(bytes.count - headerStart - 8) else { throw fail("file is truncated (header)") }
    let headerEnd = headerStart + Int(headerLength)
    let stored: UInt64 = read(bytes, at: bytes.count - 8)
    let header: Header
    do {
      let decoder = JSONFormat.decoder()
      let json = Data(bytes[headerStart..<headerEnd])
      do {
        header = try decoder.decode(Header.self, from: json)
      } catch DecodingError.keyNotFound(_, let context) where context.codingPath.first?.stringValue == "configuration" {
        // A file written before a training setting existed: the setting keeps its default.
        header = try decoder.decode(Header.self, from: completingConfiguration(json))
      }
    } catch {
      throw fail(stored == fnv1a(Data(bytes[0..<(bytes.count - 8)])) ? unreadableHeader(error) : "file is damaged or truncated (checksum mismatch)")
    }
    // A checksum proves integrity, not validity: every header field is checked
    // before anything is built (see ModelFile+Validation.swift).
    if let problem = structureProblem(header) { throw fail(problem) }
    let count = header.parameters.reduce(0) { $0 + $1.rows * $1.columns }  // cannot overflow once the shapes are checked
    let (weightBytes, o1) = count.multipliedReportingOverflow(by: 4)
    let (fileBytes, o2) = weightBytes.addingReportingOverflow(headerEnd + 8)
    guard !o1, !o2, fileBytes == bytes.count else {
      let needed = o1 || o2 ? "more bytes than a file can hold" : "\(fileBytes) bytes in all"
      throw fail("file is truncated or has trailing data (its header promises \(count) weights, \(needed); found \(bytes.count))")
    }
    guard stored == fnv1a(Data(bytes[0..<(bytes.count - 8)])) else {
      throw fail("file is damaged (checksum mismatch)")
    }
    if let problem = valueProblem(header) { throw fail(problem) }
    var params = ParameterSet<Float>()
    var offset = headerEnd
    for p in header.parameters {
      let n = p.rows * p.columns
      var values = [Float](repeating: 0, count: n)
      for i in 0..<n { values[i] = Float(bitPattern: read(bytes, at: offset + 4 * i)) }
      offset += 4 * n
      params.append(p.name, Tensor(rows: p.rows, columns: p.columns, scalars: values))
    }
    if let problem = header.network.validate(params) { throw fail("weights do not match the architecture: \(problem)") }
    guard params.isFinite else { throw fail("weights contain NaN or infinity") }
    return NCFModel(network: header.network, parameters: params, cost: header.cost, terminalTime: header.terminalTime,
                    normalization: header.normalization, configuration: header.configuration,
                    certificate: header.certificate)
  }

  /// Saves atomically (temporary file + rename).
  public static func save(_ model: NCFModel, to path: String) throws {
    var data: Data
    do { data = try encode(model) } catch let e as ModelFileError { throw ModelFileError(path: path, reason: e.reason) }
    do throws(AtomicFile.Failure) {
      try AtomicFile.write([UInt8](data), to: path)
    } catch {
      throw ModelFileError(path: path, reason: error.reason)
    }
  }

  /// Loads a model.
  public static func load(from path: String) throws -> NCFModel {
    try decode(contents(of: path, expecting: "a model file"), path: path)
  }

  /// The bytes of the file at `path`, with the reasons a user can act on when
  /// there are none (absent, a directory, unreadable). Shared with ``WeightsFile``.
  static func contents(of path: String, expecting what: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ModelFileError(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw ModelFileError(path: path, reason: "is a directory, expected \(what)") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ModelFileError(path: path, reason: "cannot be read (permission denied?)")
    }
    return data
  }

  static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
  }

  static func read<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
    var v: T = 0
    for k in 0..<MemoryLayout<T>.size { v |= T(bytes[offset + k]) << (8 * k) }
    return v
  }

  /// 64-bit FNV-1a: detects truncation and bit flips (not tampering).
  static func fnv1a(_ data: Data) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
  }
}

/// The header JSON with the training settings it lacks filled in from the
/// defaults (``NCFTrainingConfiguration/mergeJSON(_:into:)``). Unchanged
/// when it cannot be parsed.
func completingConfiguration(_ json: Data) -> Data {
  guard var header = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any],
        let stored = header["configuration"] as? [String: Any],
        var defaults = try? NCFTrainingConfiguration().jsonObject()
  else { return json }
  NCFTrainingConfiguration.mergeJSON(stored, into: &defaults)
  header["configuration"] = defaults
  return (try? JSONSerialization.data(withJSONObject: header)) ?? json
}

/// A model file that could not be read or written.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
  public var path: String
  public var reason: String
  public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}
