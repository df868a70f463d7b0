import Testing
import Foundation
import NCFTensor
import NCFNetworks
import NCFFlows

/// Finite weights can still overflow Float when the network runs (weights
/// near Float's maximum), so results are checked where they are used: the
/// checked maps and the certificate check are what commands call.
@Suite struct ModelOutputCheckTests {
  static func points(_ n: Int, seed: UInt64) -> Tensor<Double> {
    var rng = SeededRandom(seed: seed)
    return Tensor<Double>.normal(rows: n, columns: 2, using: &rng)
  }

  @Test func aSoundModelPassesAndGivesTheUncheckedResults() throws {
    let model = ModelFileTests.sampleModel()
    let x = Self.points(50, seed: 1)
    #expect(try model.checkedForward(x) == model.forward(x))
    #expect(try model.checkedBackward(x) == model.backward(x))
    #expect(try model.checkedInterpolate(x, time: 0.5) == model.interpolate(x, time: 0.5))
    #expect(try model.checkedPotential(x, time: 0.25) == model.potential(x, time: 0.25))
    try TrainingCertificate(measuring: model, source: x, target: Self.points(50, seed: 2), step: 0).requireFinite()
  }

  /// Weights near Float's maximum load (they are finite) and then overflow:
  /// every checked result refuses, naming what and where.
  @Test func weightsNearFloatMaximumAreCaughtAtEvaluation() throws {
    var model = ModelFileTests.sampleModel()
    model.parameters["output.weight"] = model.parameters["output.weight"]!.map { $0 < 0 ? -3e38 : 3e38 }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-huge-\(UUID().uuidString).ncf").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelFile.save(model, to: path)
    let loaded = try ModelFile.load(from: path)
    let x = Self.points(20, seed: 3)
    #expect(throws: NonFiniteResultError(quantity: "forward map", row: 0, side: .source)) { try loaded.checkedForward(x) }
    #expect(throws: NonFiniteResultError(quantity: "backward map", row: 0, side: .target)) { try loaded.checkedBackward(x) }
    #expect(throws: NonFiniteResultError.self) { try loaded.checkedInterpolate(x, time: 0.5) }
    #expect(throws: NonFiniteResultError.self) {
      try TrainingCertificate(measuring: loaded, source: x, target: Self.points(20, seed: 4), step: 0).requireFinite()
    }
    let message = NonFiniteResultError(quantity: "forward map", row: 3).description
    #expect(message.contains("forward map") && message.contains("row 3") && !message.contains("\n"))
  }

  /// A sound model and a point far out: the potential grows like |x|², so at
  /// |x| = 10²⁵ it overflows Float while the map (linear there) does not. The
  /// first row that overflows is named.
  @Test func theFirstOverflowingRowIsNamed() throws {
    let model = ModelFileTests.sampleModel()
    var x = Self.points(10, seed: 5)
    x[6, 1] = 1e25
    #expect(throws: NonFiniteResultError(quantity: "potential u(x, 0.0)", row: 6)) { try model.checkedPotential(x, time: 0) }
    #expect(throws: Never.self) { try model.checkedForward(x) }
  }

  /// The metrics that commands print check their maps, and name the row of
  /// the whole sample when only a subset is evaluated: a coordinate of 10³⁹
  /// is finite in Double and infinite in Float, where the network runs.
  @Test func metricsRefuseNonFiniteMapsNamingTheRowOfTheWholeSample() throws {
    let model = ModelFileTests.sampleModel()
    let x = Self.points(300, seed: 6)
    var y = Self.points(300, seed: 7)
    // A target row that the evaluation's subset (seed 4 + 1) keeps, at position 37.
    let kept = y.subsampleRows(100, seed: 5)
    let bad = kept[37]
    #expect(bad != 37)
    y[bad, 0] = 1e39
    #expect(throws: NonFiniteResultError(quantity: "backward map", row: bad, side: .target)) {
      try NCFEvaluation(model: model, source: x, target: y, maxPoints: 100, seed: 4)
    }
    // Source rows are all mapped (for the transport cost), so the row is the file's directly.
    var x2 = x
    x2[250, 1] = -1e39
    #expect(throws: NonFiniteResultError(quantity: "forward map", row: 250, side: .source)) {
      try NCFEvaluation(model: model, source: x2, target: Self.points(300, seed: 7), maxPoints: 100, seed: 4)
    }
    #expect(throws: NonFiniteResultError(quantity: "forward map", row: 250, side: .source)) {
      try TrainingCertificate(checking: model, source: x2, target: y, step: 0)
    }
    let e = try NCFEvaluation(model: model, source: x, target: Self.points(300, seed: 7), maxPoints: 100, seed: 4)
    #expect(e.forwardEnergyDistance.isFinite && e.hjResidual.isFinite)
  }

  @Test func theMessageNamesTheModelAndTheFileOfTheRow() {
    let backward = NonFiniteResultError(quantity: "backward map", row: 4, side: .target)
    #expect(backward.message(model: "m.ncf", source: "x.npy", target: "y.npy")
      == "m.ncf: the backward map is NaN or infinite at row 4 (0-based) of y.npy; the model's weights or the points overflow Float")
    let summary = NonFiniteResultError(quantity: "HJ residual", row: nil)
    #expect(summary.message(model: "m.ncf", source: "x.npy", target: "y.npy")
      == "m.ncf: the HJ residual is NaN or infinite; the model's weights or the points overflow Float")
    #expect(backward.inWhole(source: [9, 8], target: [0, 2, 5, 7, 11]).row == 11)
    #expect(summary.inWhole(source: [3], target: [3]) == summary)
  }
}
