import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFData
import NCFFlows

/// Seeded damaged and crafted IDX files (plain and gzip) and weights files
/// through their readers: a typed error or a valid value, never a trap.
@Suite(.serialized) struct IDXFuzzTests {
  static let seed: UInt64 = 20_261_202

  /// A crafted IDX file: an odd magic, type, rank or dimension over a random body.
  static func idxFile(_ rng: inout SeededRandom) -> (bytes: [UInt8], what: String) {
    let rank = Mutations.pick([0, 1, 2, 3, 4, 255], &rng)
    var bytes: [UInt8] = [Mutations.pick([0, 0, 0, 1, 0xff], &rng), 0, Mutations.pick([8, 8, 8, 9, 0x0d, 0x42], &rng), UInt8(rank)]
    let dims = (0..<min(rank, 4)).map { _ in Mutations.pick([0, 1, 2, 3, 28, 60000, 0x7fff_ffff, 0xffff_ffff], &rng) as UInt32 }
    for d in dims { bytes += Mutations.bigEndian(d) }
    let body = Mutations.pick([0, 1, 6, 12, 100], &rng)
    bytes += (0..<body).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    return (bytes, "crafted rank \(rank) dims \(dims) body \(body)")
  }

  static func validIDX(_ a: IDXArray) -> String? {
    a.bytes.count == a.shape.reduce(1, *) ? nil : "\(a.bytes.count) bytes for \(a.shape)"
  }

  @Test func idxFiles() throws {
    CrashBreadcrumb.arm()
    let dir = try ReaderFuzzTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var rng = SeededRandom(seed: Self.seed)
    var tally = ReaderFuzzTests.Tally()
    let image = IDXArray(shape: [3, 4, 4], bytes: (0..<48).map { UInt8($0 * 5) })
    let labels = IDXArray(shape: [5], bytes: [3, 1, 4, 1, 5])
    let valid = [IDX.encode(image), IDX.encode(labels), Gzip.compress(IDX.encode(image)), Gzip.compress(IDX.encode(labels))]
    let path = dir + "/case-idx"
    for k in 0..<800 {
      tally.cases += 1
      var (bytes, what) = k % 2 == 0 ? Mutations.damage(Mutations.pick(valid, &rng), &rng) : Self.idxFile(&rng)
      if k % 5 == 1 { (bytes, what) = (Gzip.compress(bytes), what + ", gzipped") }
      ReaderFuzzTests.write(bytes, path)
      tally.read("idx case \(k) (seed \(Self.seed)): \(what)", DataError.self, { try IDX.read(path: path) }, valid: Self.validIDX)
    }
    print("idx fuzz: \(tally)")
    #expect(tally.accepted > 0 && tally.rejected > tally.accepted, "\(tally)")
  }

  @Test func weightsFiles() throws {
    CrashBreadcrumb.arm()
    var rng = SeededRandom(seed: Self.seed &+ 1)
    var tally = ReaderFuzzTests.Tally()
    let vae = VariationalAutoencoder(inputDimension: 6, hidden: [4], latentDimension: 2, beta: 1)
    let data = [UInt8](try WeightsFile.encode(kind: "vae", model: vae, parameters: vae.initialParameters(seed: 1)))
    for k in 0..<400 {
      tally.cases += 1
      let (bytes, what) = k == 0 ? (data, "intact") : Mutations.damage(data, &rng)
      tally.read("weights case \(k) (seed \(Self.seed &+ 1)): \(what)", ModelFileError.self, {
        try WeightsFile.decode(Data(bytes), kind: "vae", as: VariationalAutoencoder.self)
      }, valid: { $0.model.validate($0.parameters) })
    }
    print("weights fuzz: \(tally)")
    #expect(tally.accepted > 0 && tally.rejected > tally.accepted, "\(tally)")
  }
}
