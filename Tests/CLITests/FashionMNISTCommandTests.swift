import Foundation
import Testing

@Suite("bench fmnist-mnist")
struct FashionMNISTCommandTests {
  /// Without the data the command names the missing file and the fetch script, and writes nothing.
  @Test func missingDataNamesTheFileAndTheFetchScript() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-fmnist-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try NCF.run(["bench", "fmnist-mnist", "--data", dir.path + "/nothing", "--out", dir.path + "/out/r"])
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("nothing/fashion-mnist/train-images-idx3-ubyte: no such file"), "\(result)")
    #expect(result.stderr.contains("scripts/fetch-mnist-data.sh"), "\(result)")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
  }

  @Test func badSettingsAreRefusedBeforeAnyWork() throws {
    let result = try NCF.run(["bench", "fmnist-mnist", "--latent", "0", "--data", "/nonexistent"])
    #expect(result.status != 0 && result.stderr.contains("latent dimension"), "\(result)")
    let fewer = try NCF.run(["bench", "fmnist-mnist", "--transport-per-class", "10", "--test-per-class", "20", "--data", "/nonexistent"])
    #expect(fewer.status != 0 && fewer.stderr.contains("exact OT per class needs"), "\(fewer)")
  }
}
