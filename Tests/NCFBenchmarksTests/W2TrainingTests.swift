import Testing
import NCFTensor
import NCFFlows
import NCFBenchmarks

/// A short seeded training run on the W2 pair (correctness, not speed).
@Suite struct W2TrainingTests {
  /// 1000 steps on w2-2 learn the non-linear part: forward UVP at least 10×
  /// below the linear map's (≈ 14 %), backward at least 5× below.
  @Test func shortRunOnW2TwoBeatsTheLinearMapTenfold() throws {
    var c = NCFTrainingConfiguration()
    (c.iterations, c.energyBatch, c.collocationBatch, c.seed) = (1000, 512, 512, 0)
    (c.width, c.depth) = (64, 3)
    c = W2BenchmarkRunner.configuration(c, keepValidation: false)
    let row = try W2BenchmarkRunner.run(dimension: 2, configuration: c, testPoints: 8192)
    let model = try #require(row.model)
    #expect(row.linear.forwardUVP > 12 && row.linear.forwardUVP < 16)
    #expect(model.forwardUVP * 10 <= row.linear.forwardUVP, "forward UVP \(model.forwardUVP)% vs linear \(row.linear.forwardUVP)%")
    #expect(model.backwardUVP * 5 <= row.linear.backwardUVP, "backward UVP \(model.backwardUVP)% vs linear \(row.linear.backwardUVP)%")
    #expect(model.forwardCosine > 0.97)
    #expect(row.iterations == 1000)
  }

  /// A fixed training set: the moments-only row is measured on the same test points.
  @Test func fixedTrainingSetReportsTheMomentsOnlyMap() throws {
    var c = NCFTrainingConfiguration()
    c.iterations = 1
    let row = try W2BenchmarkRunner.run(dimension: 2, configuration: c, data: .fixed(pointsPerSide: 4000), train: false,
                                        testPoints: 4096)
    let moments = try #require(row.momentsOnly)
    #expect(row.model == nil && row.trainPoints == 4000)
    // 4000 points estimate the moments well: close to the exact-moment linear map, not equal to it.
    #expect(abs(moments.forwardUVP - row.linear.forwardUVP) < 1.5 && moments.forwardUVP != row.linear.forwardUVP)
  }
}
