import Foundation
import Testing

/// `ncf color-transfer` end to end on the shipped photographs, shrunk with
/// --max-side and trained briefly so that each run takes a few seconds.
@Suite("color-transfer command")
struct ColorTransferCommandTests {
  /// data/images in the repository.
  static let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data/images")

  static func image(_ name: String) -> String { images.appendingPathComponent(name).path }

  /// A short run: 64-pixel images, 150 steps of a small network, small baselines.
  static let quick = ["--max-side", "64", "--iterations", "150", "--batch-size", "256", "--collocation-batch", "256",
                      "--width", "32", "--baseline-samples", "300", "--threads", "1", "--quiet"]

  /// Width and height from a PNG's IHDR chunk.
  static func pngSize(_ url: URL) throws -> (width: Int, height: Int) {
    let bytes = [UInt8](try Data(contentsOf: url))
    try #require(bytes.count > 24 && bytes[0] == 0x89 && Array(bytes[12..<16]) == Array("IHDR".utf8), "not a PNG")
    func be32(_ k: Int) -> Int { bytes[k..<(k + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be32(16), be32(20))
  }

  @Test("coffee → chelsea: images, reverse, figure and report; NCF beats the identity; baselines present")
  func endToEnd() throws {
    try withTemporaryDirectory { dir in
      let out = dir.appendingPathComponent("out.png"), reverse = dir.appendingPathComponent("reverse.png")
      let report = dir.appendingPathComponent("report.json"), figure = dir.appendingPathComponent("figure.png")
      let result = try NCF.run([
        "color-transfer", "--content", Self.image("coffee.png"), "--style", Self.image("chelsea.png"),
        "--out", out.path, "--reverse-out", reverse.path, "--report", report.path, "--figure", figure.path,
      ] + Self.quick)
      try #require(result.status == 0, "\(result)")
      // 256×171 and 256×170 shrunk to a longer side of 64: 64×43 (42.75 and 42.5 round up).
      #expect(try Self.pngSize(out) == (64, 43))
      #expect(try Self.pngSize(reverse) == (64, 43))
      #expect(try Self.pngSize(figure).height == 43)
      #expect(listing(dir) == ["figure.png", "out.png", "report.json", "reverse.png"], "no temporary files left")

      let json = try jsonObject(String(contentsOf: report, encoding: .utf8))
      for (key, direction) in [("forward", "content → style"), ("backward", "style → content")] {
        let d = try #require(json[key] as? [String: Any], "missing \(key)")
        #expect(d["direction"] as? String == direction)
        let scores = try #require(d["scores"] as? [[String: Any]])
        #expect(scores.compactMap { $0["method"] as? String } == ["identity", "NCF", "exact OT", "Sinkhorn"])
        func hi(_ m: String) -> Double { scores.first { $0["method"] as? String == m }?["hi"] as? Double ?? .nan }
        func emd(_ m: String) -> Double { scores.first { $0["method"] as? String == m }?["emd"] as? Double ?? .nan }
        #expect(hi("NCF") > hi("identity"), "\(key): NCF HI \(hi("NCF")) vs identity \(hi("identity"))")
        #expect(emd("NCF") < emd("identity"), "\(key): NCF EMD \(emd("NCF")) vs identity \(emd("identity"))")
        #expect(hi("exact OT") > hi("identity") && hi("Sinkhorn") > hi("identity"))
      }
      let exact = try #require(json["exact"] as? [String: Any])
      #expect(exact["certified"] as? Bool == true && exact["samples"] as? Int == 300)
      #expect(json["sinkhorn"] is [String: Any])
      let metric = try #require(json["metric"] as? [String: Any])
      #expect(metric["layout"] as? String == "joint" && metric["bins"] as? Int == 16)
      let secondary = try #require(json["secondaryMetric"] as? [String: Any])
      #expect(secondary["layout"] as? String == "per-channel" && secondary["bins"] as? Int == 256)
      let ncfRow = try #require(((json["forward"] as? [String: Any])?["scores"] as? [[String: Any]])?[1])
      let second = try #require(ncfRow["secondary"] as? [String: Any])
      #expect((second["hi"] as? Double ?? 0) > 0 && (second["emd"] as? Double ?? -1) >= 0)

      // The same table on stdout.
      for row in ["identity", "NCF", "exact OT", "Sinkhorn", "content → style", "style → content"] {
        #expect(result.stdout.contains(row), "stdout lacks \(row)")
      }
    }
  }

  @Test("per-channel histograms, no baselines, JPEG output, a saved model reused")
  func variants() throws {
    try withTemporaryDirectory { dir in
      let out = dir.appendingPathComponent("out.jpg"), model = dir.appendingPathComponent("m.ncf")
      let report = dir.appendingPathComponent("r.json")
      let first = try NCF.run([
        "color-transfer", "--content", Self.image("rocket.jpg"), "--style", Self.image("coffee.png"),
        "--out", out.path, "--no-baselines", "--histogram", "per-channel", "--bins", "32", "--save-model", model.path,
        "--report", report.path,
      ] + Self.quick)
      try #require(first.status == 0, "\(first)")
      #expect(exists(out) && exists(model))
      let json = try jsonObject(String(contentsOf: report, encoding: .utf8))
      let scores = try #require((json["forward"] as? [String: Any])?["scores"] as? [[String: Any]])
      #expect(scores.compactMap { $0["method"] as? String } == ["identity", "NCF"])
      #expect(json["exact"] == nil && json["backward"] == nil)

      let again = dir.appendingPathComponent("again.png")
      let second = try NCF.run([
        "color-transfer", "--content", Self.image("rocket.jpg"), "--style", Self.image("coffee.png"),
        "--out", again.path, "--model", model.path, "--no-baselines", "--max-side", "64", "--quiet",
      ])
      try #require(second.status == 0, "\(second)")
      #expect(second.stdout.contains("using the model in \(model.path)"))
      #expect(try Self.pngSize(again) == (64, 43))
    }
  }

  enum BadCase: String, CaseIterable, Sendable {
    case missingContent, corruptStyle, notAnImage, outputDirectoryMissing, outputIsDirectory, outputExtension,
      reportDirectoryMissing, sameOutputs, badModel, jointBinsTooMany
  }

  /// Every bad input: one `Error:` line naming the problem, non-zero status, no crash, nothing written.
  @Test("bad inputs give one-line errors and leave no output", arguments: BadCase.allCases)
  func badInput(_ c: BadCase) throws {
    try withTemporaryDirectory { dir in
      func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
      var content = Self.image("coffee.png"), style = Self.image("chelsea.png"), out = path("out.png")
      var extra: [String] = []
      let expected: String
      switch c {
      case .missingContent:
        content = path("nothere.png")
        expected = "not found"
      case .corruptStyle:
        // A PNG signature followed by garbage.
        try dir.appendingPathComponent("broken.png").write(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 200)))
        style = path("broken.png")
        expected = "broken.png"
      case .notAnImage:
        try dir.appendingPathComponent("text.png").write("hello\n")
        content = path("text.png")
        expected = "unsupported image format"
      case .outputDirectoryMissing:
        out = path("missing/out.png")
        expected = "does not exist"
      case .outputIsDirectory:
        try FileManager.default.createDirectory(atPath: path("adir.png"), withIntermediateDirectories: false)
        out = path("adir.png")
        expected = "is a directory"
      case .outputExtension:
        out = path("out.gif")
        expected = ".png, .jpg or .jpeg"
      case .reportDirectoryMissing:
        extra = ["--report", path("nowhere/r.json")]
        expected = "does not exist"
      case .sameOutputs:
        extra = ["--reverse-out", out]
        expected = "its own file"
      case .jointBinsTooMany:
        extra = ["--bins", "64"]
        expected = "1…32"
      case .badModel:
        try dir.appendingPathComponent("bad.ncf").write("not a model")
        extra = ["--model", path("bad.ncf")]
        expected = "bad.ncf"
      }
      let before = listing(dir)
      let result = try NCF.run(["color-transfer", "--content", content, "--style", style, "--out", out] + extra + Self.quick)
      #expect(!result.signalled, "\(c): crashed\n\(result)")
      #expect(result.status != 0, "\(c): exit status 0\n\(result)")
      let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
      #expect(errorLines.count == 1, "\(c): expected one error line\n\(result)")
      #expect(errorLines.first?.contains(expected) == true, "\(c): message lacks '\(expected)': \(result.stderr)")
      #expect(!exists(URL(fileURLWithPath: out)) || c == .outputIsDirectory, "\(c): left \(out) behind")
      #expect(listing(dir) == before, "\(c): the directory changed: \(before) → \(listing(dir))")
    }
  }

  @Test("help lists the options and the report's rows")
  func help() throws {
    let result = try NCF.run(["color-transfer", "--help"])
    #expect(result.status == 0)
    for option in ["--content", "--style", "--out", "--reverse-out", "--report", "--baseline-samples", "--epsilon",
                   "--bins", "--max-side", "exact OT", "Sinkhorn"] {
      #expect(result.stdout.contains(option), "help lacks \(option)")
    }
  }
}
