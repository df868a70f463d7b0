import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFFlows

@Suite struct WeightsFileTests {
  static let vae = VariationalAutoencoder(inputDimension: 9, hidden: [7], latentDimension: 3, beta: 0.5)

  @Test func roundTripIsExactAndKeepsNotes() throws {
    let params: ParameterSet<Float> = Self.vae.initialParameters(seed: 1)
    let data = try WeightsFile.encode(kind: "vae", model: Self.vae, parameters: params, notes: ["epochs": "3"])
    let (model, loaded, notes) = try WeightsFile.decode(data, kind: "vae", as: VariationalAutoencoder.self)
    #expect(model == Self.vae && loaded == params && notes == ["epochs": "3"])
  }

  @Test func damagedWrongKindAndNewerFilesAreRefused() throws {
    let params: ParameterSet<Float> = Self.vae.initialParameters(seed: 1)
    let data = try WeightsFile.encode(kind: "vae", model: Self.vae, parameters: params)
    func reason(_ bytes: Data, kind: String = "vae") -> String {
      do { _ = try WeightsFile.decode(bytes, kind: kind, as: VariationalAutoencoder.self); return "accepted" } catch {
        return "\(error)"
      }
    }
    #expect(reason(data, kind: "classifier").contains("expected a classifier"))
    var flipped = data
    flipped[data.count - 20] ^= 1
    #expect(reason(flipped).contains("checksum"))
    #expect(reason(data.prefix(data.count - 9)).contains("checksum") || reason(data.prefix(data.count - 9)).contains("truncated"))
    #expect(reason(Data("NCFMODEL".utf8) + data.dropFirst(8)).contains("bad magic"))
    // A newer version (checksum recomputed so the version is what is refused).
    var newer = [UInt8](data.prefix(data.count - 8))
    newer[8] = 9
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in newer { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    withUnsafeBytes(of: h.littleEndian) { newer += $0 }
    #expect(reason(Data(newer)).contains("newer"))
    // Weights of another architecture.
    let other = VariationalAutoencoder(inputDimension: 9, hidden: [6], latentDimension: 3, beta: 0.5)
    let mismatched = try WeightsFile.encode(kind: "vae", model: other, parameters: params)
    #expect(reason(mismatched).contains("do not match"))
  }
}
