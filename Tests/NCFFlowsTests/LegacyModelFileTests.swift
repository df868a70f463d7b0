import Foundation
import Testing
import NCFTensor
import NCFTransport
import NCFFlows

/// Model files written by the code before the cost vocabulary (commit
/// f3861be, `ncf train --cost quadratic|lp:1.5`) load with the same cost and
/// map points to the very same numbers `ncf map` wrote then.
@Suite struct LegacyModelFileTests {
  /// `ncf train --source x.npy --target y.npy --iterations 5 --batch-size 16 --collocation-batch 16
  /// --width 3 --depth 1` (x: 40 points of `gaussian`, seed 1; y: 40 of `moons`, seed 2), default cost.
  static let quadratic = Data(base64Encoded: [
      "TkNGTU9ERUwBAAAAaQYAAAAAAAB7ImNlcnRpZmljYXRlIjp7ImJhY2t3YXJkRW5lcmd5RGlzdGFuY2UiOi0wLjQyMTI3Nzk2ODI3",
      "MzM1MjczLCJmb3J3YXJkRW5lcmd5RGlzdGFuY2UiOi0wLjIzNjg4ODk5NDMzMjc5MDMxLCJoalJlc2lkdWFsIjozLjAxMTI3OTY1",
      "OTQwMzk1MzdlLTA2LCJzYW1wbGVzIjo0LCJzdGVwIjo1LCJ0cmFuc3BvcnRDb3N0IjowLjIxNzI0OTUxMTkwMzY5NDQ2fSwiY29u",
      "ZmlndXJhdGlvbiI6eyJhY3RpdmF0aW9uIjp7InNvZnRwbHVzIjp7ImJldGEiOjR9fSwiYmFja3dhcmRMYW1iZGEiOjAsImNvbGxv",
      "Y2F0aW9uIjp7ImJveE1hcmdpbiI6MC4xLCJib3hXZWlnaHQiOjAuMiwiaml0dGVyIjowLCJwdWxsZWRXZWlnaHQiOjAuNCwicHVz",
      "aGVkV2VpZ2h0IjowLjR9LCJjb2xsb2NhdGlvbkJhdGNoIjoxNiwiZGVwdGgiOjEsImVuZXJneUJhdGNoIjoxNiwiZW5lcmd5RXN0",
      "aW1hdG9yIjoidW5iaWFzZWQiLCJmaW5hbExlYXJuaW5nUmF0ZUZyYWN0aW9uIjowLjAxLCJncmFkaWVudENsaXBOb3JtIjoxMCwi",
      "aGVhZEluaXRpYWxpemF0aW9uIjoibW9tZW50cyIsImhlYWRMZWFybmluZ1JhdGVTY2FsZSI6MSwiaGpMb3NzIjoiaW1wbGljaXQi",
      "LCJpdGVyYXRpb25zIjo1LCJsYW1iZGEiOjEsImxlYXJuaW5nUmF0ZSI6MC4wMDMsImxvZ0ludGVydmFsIjoxMDAsIm5vcm1hbGl6",
      "ZSI6dHJ1ZSwicXVhZHJhdGljSGVhZCI6dHJ1ZSwicmVzaWR1YWwiOmZhbHNlLCJzY2hlZHVsZSI6ImNvc2luZSIsInNlZWQiOjAs",
      "InRlcm1pbmFsVGltZSI6MSwidmFsaWRhdGlvbkludGVydmFsIjoxMDAwLCJ2YWxpZGF0aW9uU2l6ZSI6NCwid2FybXVwU3RlcHMi",
      "OjIwMCwid2VpZ2h0QXZlcmFnaW5nIjowLCJ3ZWlnaHREZWNheSI6MCwid2lkdGgiOjN9LCJjb3N0Ijp7InF1YWRyYXRpYyI6e319",
      "LCJuZXR3b3JrIjp7Im1scCI6eyJhY3RpdmF0aW9uIjp7InNvZnRwbHVzIjp7ImJldGEiOjR9fSwiaGlkZGVuV2lkdGhzIjpbM10s",
      "ImlucHV0RGltZW5zaW9uIjozLCJyZXNpZHVhbCI6ZmFsc2V9LCJxdWFkcmF0aWNIZWFkIjp0cnVlfSwibm9ybWFsaXphdGlvbiI6",
      "eyJzY2FsZSI6MC45NTY4ODk0NjY5NzIyNDM0LCJzaGlmdCI6WzAuMDA5NTU3MzU5MTQ1MDk1MjAxLDAuMTI0NzY5NjA1NTU2Njkz",
      "ODhdfSwicGFyYW1ldGVycyI6W3siY29sdW1ucyI6MywibmFtZSI6ImxheWVyMS53ZWlnaHQiLCJyb3dzIjozfSx7ImNvbHVtbnMi",
      "OjMsIm5hbWUiOiJsYXllcjEuYmlhcyIsInJvd3MiOjF9LHsiY29sdW1ucyI6MSwibmFtZSI6Im91dHB1dC53ZWlnaHQiLCJyb3dz",
      "IjozfSx7ImNvbHVtbnMiOjEsIm5hbWUiOiJvdXRwdXQuYmlhcyIsInJvd3MiOjF9LHsiY29sdW1ucyI6MiwibmFtZSI6ImhlYWQu",
      "QTAiLCJyb3dzIjoyfSx7ImNvbHVtbnMiOjIsIm5hbWUiOiJoZWFkLkExIiwicm93cyI6Mn0seyJjb2x1bW5zIjoyLCJuYW1lIjoi",
      "aGVhZC5BMiIsInJvd3MiOjJ9LHsiY29sdW1ucyI6MiwibmFtZSI6ImhlYWQuQTMiLCJyb3dzIjoyfSx7ImNvbHVtbnMiOjEsIm5h",
      "bWUiOiJoZWFkLm0iLCJyb3dzIjoyfSx7ImNvbHVtbnMiOjEsIm5hbWUiOiJoZWFkLmRlbHRhIiwicm93cyI6Mn0seyJjb2x1bW5z",
      "IjoxLCJuYW1lIjoiaGVhZC5jIiwicm93cyI6MX1dLCJzY2FsYXJUeXBlIjoiZmxvYXQzMiIsInRlcm1pbmFsVGltZSI6MSwid3Jp",
      "dGVyIjoibmNmIn1VLVm+pV0jv+zNMb5QyJc/3FyNvVr2Cz6z6yI+PN4CPu/+HL/QylQ3ZFR8uy46m7v6YsA7esQ9OzVJhDsAAAAA",
      "hsm0vpgaNb6YGjW+P7cLv+UjSr6BZGi+gWRovtf+5L4lCQE+bypvPm8qbz43y8Y+OFuVvoZs+76GbPu+F6ZXv3/rFrybjbI9YvBn",
      "PDVsKr5PBIw7/kUDn8yEzW4=",
    ].joined())!

  /// The same with `--cost lp:1.5 --no-quadratic-head` (lp:1.5 then meant Σ|xₖ − yₖ|^1.5 / 1.5).
  static let lp = Data(base64Encoded: [
      "TkNGTU9ERUwBAAAAVAUAAAAAAAB7ImNlcnRpZmljYXRlIjp7ImJhY2t3YXJkRW5lcmd5RGlzdGFuY2UiOi0wLjQ0MzUwNDIzMTQ4",
      "MjkyNjA2LCJmb3J3YXJkRW5lcmd5RGlzdGFuY2UiOi0wLjQ0MzIzNjY5Njg2MTQyMDEsImhqUmVzaWR1YWwiOjEuOTQ1MzI5Njc3",
      "MjU1MzU4NWUtMDUsInNhbXBsZXMiOjQsInN0ZXAiOjUsInRyYW5zcG9ydENvc3QiOjguOTI4MTkxNzY0NjcxMDU3ZS0wNX0sImNv",
      "bmZpZ3VyYXRpb24iOnsiYWN0aXZhdGlvbiI6eyJzb2Z0cGx1cyI6eyJiZXRhIjo0fX0sImJhY2t3YXJkTGFtYmRhIjowLCJjb2xs",
      "b2NhdGlvbiI6eyJib3hNYXJnaW4iOjAuMSwiYm94V2VpZ2h0IjowLjIsImppdHRlciI6MCwicHVsbGVkV2VpZ2h0IjowLjQsInB1",
      "c2hlZFdlaWdodCI6MC40fSwiY29sbG9jYXRpb25CYXRjaCI6MTYsImRlcHRoIjoxLCJlbmVyZ3lCYXRjaCI6MTYsImVuZXJneUVz",
      "dGltYXRvciI6InVuYmlhc2VkIiwiZmluYWxMZWFybmluZ1JhdGVGcmFjdGlvbiI6MC4wMSwiZ3JhZGllbnRDbGlwTm9ybSI6MTAs",
      "ImhlYWRJbml0aWFsaXphdGlvbiI6Im1vbWVudHMiLCJoZWFkTGVhcm5pbmdSYXRlU2NhbGUiOjEsImhqTG9zcyI6ImltcGxpY2l0",
      "IiwiaXRlcmF0aW9ucyI6NSwibGFtYmRhIjoxLCJsZWFybmluZ1JhdGUiOjAuMDAzLCJsb2dJbnRlcnZhbCI6MTAwLCJub3JtYWxp",
      "emUiOnRydWUsInF1YWRyYXRpY0hlYWQiOmZhbHNlLCJyZXNpZHVhbCI6ZmFsc2UsInNjaGVkdWxlIjoiY29zaW5lIiwic2VlZCI6",
      "MCwidGVybWluYWxUaW1lIjoxLCJ2YWxpZGF0aW9uSW50ZXJ2YWwiOjEwMDAsInZhbGlkYXRpb25TaXplIjo0LCJ3YXJtdXBTdGVw",
      "cyI6MjAwLCJ3ZWlnaHRBdmVyYWdpbmciOjAsIndlaWdodERlY2F5IjowLCJ3aWR0aCI6M30sImNvc3QiOnsibHAiOnsiXzAiOjEu",
      "NX19LCJuZXR3b3JrIjp7Im1scCI6eyJhY3RpdmF0aW9uIjp7InNvZnRwbHVzIjp7ImJldGEiOjR9fSwiaGlkZGVuV2lkdGhzIjpb",
      "M10sImlucHV0RGltZW5zaW9uIjozLCJyZXNpZHVhbCI6ZmFsc2V9LCJxdWFkcmF0aWNIZWFkIjpmYWxzZX0sIm5vcm1hbGl6YXRp",
      "b24iOnsic2NhbGUiOjAuOTU2ODg5NDY2OTcyMjQzNCwic2hpZnQiOlswLjAwOTU1NzM1OTE0NTA5NTIwMSwwLjEyNDc2OTYwNTU1",
      "NjY5Mzg4XX0sInBhcmFtZXRlcnMiOlt7ImNvbHVtbnMiOjMsIm5hbWUiOiJsYXllcjEud2VpZ2h0Iiwicm93cyI6M30seyJjb2x1",
      "bW5zIjozLCJuYW1lIjoibGF5ZXIxLmJpYXMiLCJyb3dzIjoxfSx7ImNvbHVtbnMiOjEsIm5hbWUiOiJvdXRwdXQud2VpZ2h0Iiwi",
      "cm93cyI6M30seyJjb2x1bW5zIjoxLCJuYW1lIjoib3V0cHV0LmJpYXMiLCJyb3dzIjoxfV0sInNjYWxhclR5cGUiOiJmbG9hdDMy",
      "IiwidGVybWluYWxUaW1lIjoxLCJ3cml0ZXIiOiJuY2YifaSOW74WRyS/cmI2vhLDmD+uv529H5ECPpABFT46WQc+ougbv/a02jtO",
      "cIg75lkNvPIKNr2OqJE9UKbIPAAAAADRc2yowYfPDw==",
    ].joined())!

  /// The points mapped, and what `ncf map` wrote for them (forward, backward).
  static let points = Tensor<Double>(rows: 3, columns: 2, scalars: [0.5, -1.0, 1.5, 0.25, -2.0, 0.75])
  static let expected: [String: (forward: [Double], backward: [Double])] = [
    "quadratic": ([0x1.19be969e38eedp-1, -0x1.2d15b4d990decp-1, 0x1.f3cb8858b674fp-1, -0x1.8f1df6ccd6f9ap-3, -0x1.611bcf56e17bcp+0, 0x1.4fc1746a71854p-1],
                  [0x1.217a754df4df0p-3, -0x1.04cbe0266f23ep+1, 0x1.5791ab76aebbap+1, 0x1.adf2f0a81cf05p+0, -0x1.7ea46badeb099p+1, 0x1.2b90980d4ac56p-1]),
    "lp": ([0x1.ffced4379924ap-2, -0x1.00000b0f2386bp+0, 0x1.80001a717c2f7p+0, 0x1.ff6d861f3cd2dp-3, -0x1.00315803c0d7cp+1, 0x1.7e7e88c23e8f6p-1],
           [0x1.002a1adc9d6aep-1, -0x1.ffff53527ae88p-1, 0x1.7fff6adb6ffd1p+0, 0x1.009fc0fefdfa9p-2, -0x1.ffa7c8ab9c54fp+0, 0x1.819a9423f77f5p-1]),
  ]

  @Test(arguments: ["quadratic", "lp"])
  func loadsAndMapsAsBefore(name: String) throws {
    let bytes = name == "lp" ? Self.lp : Self.quadratic
    let model = try ModelFile.decode(bytes, path: name + ".ncf")
    #expect(model.cost == (name == "lp" ? .pnormp(1.5) : .quadratic))
    #expect(model.configuration?.iterations == 5 && model.configuration?.width == 3)
    #expect(model.certificate?.step == 5)
    let expected = try #require(Self.expected[name])
    #expect(model.forward(Self.points).scalars == expected.forward)
    #expect(model.backward(Self.points).scalars == expected.backward)
    // Saving again gives the same file, but for the settings added since (stored with their
    // defaults): the stored form of the cost, the header and the weights are unchanged.
    let saved = try ModelFile.encode(model)
    let (oldHeader, oldWeights) = try Self.parts(bytes), (newHeader, newWeights) = try Self.parts(saved)
    var stripped = newHeader
    if var settings = stripped["configuration"] as? [String: Any] {
      for key in Self.newerSettings { settings[key] = nil }
      stripped["configuration"] = settings
    }
    #expect(NSDictionary(dictionary: stripped).isEqual(to: oldHeader))
    #expect(newWeights == oldWeights)
    let addedDefaults = try NCFTrainingConfiguration().jsonObject().filter { Self.newerSettings.contains($0.key) }
    let added = (newHeader["configuration"] as? [String: Any] ?? [:]).filter { Self.newerSettings.contains($0.key) }
    #expect(NSDictionary(dictionary: added).isEqual(to: addedDefaults))
  }

  /// Training settings added after these files were written; re-saving stores them with their defaults.
  static let newerSettings: Set<String> = ["signal", "expectile", "expectileWeight", "checkpointRule", "checkpointEvaluations"]

  /// A model file's JSON header and its weight bytes (without the checksum).
  static func parts(_ data: Data) throws -> (header: [String: Any], weights: Data) {
    let bytes = [UInt8](data)
    let length = (0..<8).reduce(0) { $0 | Int(bytes[12 + $1]) << (8 * $1) }
    let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[20..<(20 + length)])) as? [String: Any])
    return (header, Data(bytes[(20 + length)..<(bytes.count - 8)]))
  }
}
