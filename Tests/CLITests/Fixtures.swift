import Foundation
import Testing

/// Small problems and models written into a test's temporary directory.
enum Fixtures {
  /// Flags that keep a test training run to a fraction of a second.
  static let tinyTraining = ["--iterations", "5", "--batch-size", "32", "--collocation-batch", "32", "--width", "8",
                             "--depth", "1", "--threads", "1", "--quiet"]

  /// Writes `x.npy` (standard normal) and `y.npy` (0.5·N(0, I) + shift), n×d each.
  @discardableResult
  static func gaussianPair(in dir: URL, n: Int = 200, dimension d: Int = 2, seed: UInt64 = 1,
                           names: (String, String) = ("x.npy", "y.npy")) throws -> (URL, URL) {
    var rng = TestRandom(seed)
    let x = rng.normalRows(n, d)
    let shift = (0..<d).map { $0 == 0 ? 2.0 : -1.0 }
    let y = rng.normalRows(n, d).map { row in zip(row, shift).map { 0.5 * $0 + $1 } }
    let xURL = dir.appendingPathComponent(names.0), yURL = dir.appendingPathComponent(names.1)
    try xURL.write(NPYFixture.float64(x))
    try yURL.write(NPYFixture.float64(y))
    return (xURL, yURL)
  }

  /// Trains a tiny model on a fresh pair and returns its path (and the data files).
  static func tinyModel(in dir: URL, dimension d: Int = 2, name: String = "tiny.ncf") throws -> (model: URL, x: URL, y: URL) {
    let (x, y) = try gaussianPair(in: dir, n: 100, dimension: d, names: ("tiny_x\(d).npy", "tiny_y\(d).npy"))
    let model = dir.appendingPathComponent(name)
    let result = try NCF.run(["train", "--source", x.path, "--target", y.path, "--out", model.path] + tinyTraining)
    try #require(result.status == 0, "tiny training failed: \(result)")
    return (model, x, y)
  }
}
