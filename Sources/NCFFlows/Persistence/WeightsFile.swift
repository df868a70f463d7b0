import Foundation
import NCFFileSystem
import NCFTensor
import NCFNetworks

/// Saving and loading the weights of networks other than NCF potentials (the
/// image models of the Fashion-MNIST → MNIST experiment): the container of
/// ``ModelFile`` with its own magic and version.
///
///     "NCFWGHTS"                 8 bytes, magic
///     format version             UInt32, little-endian
///     header length H            UInt64, little-endian
///     header                     H bytes of JSON: kind, the architecture (`model`),
///                                free-form notes, parameter names and shapes
///     weights                    Float32 values of every parameter, in header order
///     checksum                   UInt64, FNV-1a over every preceding byte
///
/// A file of another `kind`, a newer version, a damaged or truncated file,
/// or weights that do not fit the stored architecture are refused with a
/// ``ModelFileError``.
public enum WeightsFile {
  /// The format version this build writes and the newest it reads.
  public static let formatVersion: UInt32 = 1
  static let magic = Array("NCFWGHTS".utf8)

  /// A model the file can hold: an architecture that checks its parameters.
  public protocol Storable: Codable {
    /// Why `parameters` do not fit this architecture, or nil.
    func parameterProblem(_ parameters: ParameterSet<Float>) -> String?
  }

  struct Header<Model: Codable>: Codable {
    var kind: String
    var model: Model
    var notes: [String: String]
    var parameters: [ModelFile.ParameterShape]
    var scalarType: String
  }

  /// The bytes of a file holding `model` with `parameters` (Float32) and `notes`.
  public static func encode<Model: Storable>(kind: String, model: Model, parameters: ParameterSet<Float>,
                                             notes: [String: String] = [:]) throws -> Data {
    let header = Header(kind: kind, model: model, notes: notes,
                        parameters: zip(parameters.names, parameters.tensors).map {
                          ModelFile.ParameterShape(name: $0, rows: $1.rows, columns: $1.columns)
                        }, scalarType: "float32")
    let json = try JSONFormat.encoder().encode(header)
    var data = Data(magic)
    ModelFile.append(&data, formatVersion)
    ModelFile.append(&data, UInt64(json.count))
    data.append(json)
    for t in parameters.tensors {
      for x in t.scalars { ModelFile.append(&data, x.bitPattern) }
    }
    ModelFile.append(&data, ModelFile.fnv1a(data))
    return data
  }

  /// Reads a file of `kind`; `path` labels error messages.
  /// - Throws: ``ModelFileError`` naming what is wrong.
  public static func decode<Model: Storable>(_ data: Data, kind: String, as: Model.Type = Model.self,
                                             path: String = "<memory>") throws -> (model: Model, parameters: ParameterSet<Float>, notes: [String: String]) {
    func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
    let bytes = [UInt8](data)
    guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
      throw fail("not an ncf weights file (bad magic bytes)")
    }
    guard bytes.count >= 8 + 4 + 8 + 8 else { throw fail("file is truncated (\(bytes.count) bytes)") }
    let version: UInt32 = ModelFile.read(bytes, at: 8)
    guard version >= 1 else { throw fail("invalid format version \(version)") }
    guard version <= formatVersion else {
      throw fail("weights format version \(version) is newer than this ncf supports (\(formatVersion)); upgrade ncf")
    }
    let stored: UInt64 = ModelFile.read(bytes, at: bytes.count - 8)
    guard stored == ModelFile.fnv1a(Data(bytes[0..<(bytes.count - 8)])) else {
      throw fail("file is damaged or truncated (checksum mismatch)")
    }
    let headerLength: UInt64 = ModelFile.read(bytes, at: 12)
    guard headerLength <= UInt64(bytes.count - 20 - 8) else { throw fail("file is truncated (header)") }
    let headerEnd = 20 + Int(headerLength)
    let header: Header<Model>
    do {
      header = try JSONFormat.decoder().decode(Header<Model>.self, from: Data(bytes[20..<headerEnd]))
    } catch {
      throw fail("unreadable header (\(error))")
    }
    guard header.kind == kind else { throw fail("holds a \(header.kind), expected a \(kind)") }
    guard header.scalarType == "float32" else { throw fail("unsupported scalar type \(header.scalarType)") }
    var count = 0
    for p in header.parameters {
      let (n, o1) = p.rows.multipliedReportingOverflow(by: p.columns)
      let (c, o2) = count.addingReportingOverflow(n)
      guard p.rows >= 0, p.columns >= 0, !o1, !o2, c <= bytes.count / 4 else { throw fail("parameter \(p.name) has an impossible shape") }
      count = c
    }
    guard headerEnd + 4 * count + 8 == bytes.count else {
      throw fail("file is truncated or has trailing data (its header promises \(count) weights)")
    }
    var params = ParameterSet<Float>()
    var offset = headerEnd
    for p in header.parameters {
      let n = p.rows * p.columns
      var values = [Float](repeating: 0, count: n)
      for i in 0..<n { values[i] = Float(bitPattern: ModelFile.read(bytes, at: offset + 4 * i)) }
      offset += 4 * n
      guard !params.names.contains(p.name) else { throw fail("parameter \(p.name) appears twice") }
      params.append(p.name, Tensor(rows: p.rows, columns: p.columns, scalars: values))
    }
    if let problem = header.model.parameterProblem(params) { throw fail("weights do not match the architecture: \(problem)") }
    guard params.isFinite else { throw fail("weights contain NaN or infinity") }
    return (header.model, params, header.notes)
  }

  /// Saves atomically (temporary file + rename).
  public static func save<Model: Storable>(kind: String, model: Model, parameters: ParameterSet<Float>,
                                           notes: [String: String] = [:], to path: String) throws {
    let data = try encode(kind: kind, model: model, parameters: parameters, notes: notes)
    do throws(AtomicFile.Failure) {
      try AtomicFile.write([UInt8](data), to: path)
    } catch {
      throw ModelFileError(path: path, reason: error.reason)
    }
  }

  /// Loads a file of `kind`.
  public static func load<Model: Storable>(kind: String, as: Model.Type = Model.self,
                                           from path: String) throws -> (model: Model, parameters: ParameterSet<Float>, notes: [String: String]) {
    try decode(ModelFile.contents(of: path, expecting: "a weights file"), kind: kind, as: Model.self, path: path)
  }
}

extension VariationalAutoencoder: WeightsFile.Storable {
  public func parameterProblem(_ parameters: ParameterSet<Float>) -> String? { validate(parameters) }
}
extension ImageClassifier: WeightsFile.Storable {
  public func parameterProblem(_ parameters: ParameterSet<Float>) -> String? { validate(parameters) }
}
