import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the built `ncf` binary as a subprocess.
enum NCF {
  /// The `ncf` executable next to the test bundle: SwiftPM puts both in the
  /// same products directory (`<scratch>/<triple>/release/`), whatever
  /// `--scratch-path` was. `NCF_BINARY` overrides the search.
  static let binary: URL = {
    if let override = ProcessInfo.processInfo.environment["NCF_BINARY"] {
      return URL(fileURLWithPath: override)
    }
    var starts = [Bundle.main.bundleURL, Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])]
      .compactMap { $0?.resolvingSymlinksInPath() }
    starts += Bundle.allBundles.map(\.bundleURL)
    for start in starts {
      var dir = start
      for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("ncf")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate.path) {
          return candidate
        }
        dir = dir.deletingLastPathComponent()
      }
    }
    // Last resort: the default scratch path, relative to this file.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/release/ncf")
  }()

  struct Result: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Whether the process ended by a signal rather than by exiting.
    var signalled: Bool

    var description: String { "status \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    /// The stderr lines that are not progress output.
    var output: String { stdout + stderr }
  }

  /// Runs `ncf args…` in `directory` and waits for it.
  @discardableResult
  static func run(_ args: [String], in directory: URL? = nil) throws -> Result {
    let process = try start(args, in: directory)
    return try process.finish()
  }

  /// A running `ncf` whose output goes to temporary files (no pipe can fill up and block it).
  final class Running {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(_ args: [String], in directory: URL?) throws {
      let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-cli-out-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
      stdoutURL = scratch.appendingPathComponent("stdout")
      stderrURL = scratch.appendingPathComponent("stderr")
      FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
      FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
      process.executableURL = NCF.binary
      process.arguments = args
      if let directory { process.currentDirectoryURL = directory }
      process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
      process.standardError = try FileHandle(forWritingTo: stderrURL)
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    var stderrSoFar: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func finish() throws -> Result {
      process.waitUntilExit()
      defer { try? FileManager.default.removeItem(at: stdoutURL.deletingLastPathComponent()) }
      return Result(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "",
        signalled: process.terminationReason == .uncaughtSignal)
    }
  }

  static func start(_ args: [String], in directory: URL? = nil) throws -> Running {
    try Running(args, in: directory)
  }
}

/// A fresh temporary directory, removed when the body returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ncf-cli-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  return try body(dir)
}

/// The names in a directory, sorted (hidden temporary files included).
func listing(_ dir: URL) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
}

func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

// MARK: - Test data

/// Deterministic pseudo-random numbers (SplitMix64 + Box–Muller), so tests
/// need no library code to make data.
struct TestRandom {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
  mutating func normal() -> Double {
    let u = max(uniform(), 1e-300), v = uniform()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
  /// n×d standard normal rows.
  mutating func normalRows(_ n: Int, _ d: Int) -> [[Double]] {
    (0..<n).map { _ in (0..<d).map { _ in normal() } }
  }
}

/// Minimal `.npy` writing for fixtures (little-endian, C order).
enum NPYFixture {
  /// A version 1.0 file with the given header dictionary and raw data bytes.
  static func file(header dictionary: String, data: [UInt8]) -> Data {
    var header = dictionary
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    let length = UInt16(header.utf8.count)
    bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
    bytes += Array(header.utf8)
    return Data(bytes + data)
  }

  /// float64 rows as an n×d array.
  static func float64(_ rows: [[Double]], shape: [Int]? = nil) -> Data {
    let d = rows.first?.count ?? 0
    let shape = shape ?? [rows.count, d]
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var data: [UInt8] = []
    for row in rows {
      for x in row { withUnsafeBytes(of: x.bitPattern.littleEndian) { data += $0 } }
    }
    return file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }", data: data)
  }

  /// int64 labels as a 1-D array.
  static func labels(_ labels: [Int]) -> Data {
    var data: [UInt8] = []
    for l in labels { withUnsafeBytes(of: Int64(l).littleEndian) { data += $0 } }
    return file(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (\(labels.count),), }", data: data)
  }
}

extension URL {
  func write(_ data: Data) throws { try data.write(to: self) }
  func write(_ text: String) throws { try Data(text.utf8).write(to: self) }
}

/// CSV text of rows.
func csv(_ rows: [[Double]]) -> String {
  rows.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
}

/// Reads a CSV file of numbers written by `ncf map`.
func readCSV(_ url: URL) throws -> [[Double]] {
  try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
    line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
  }
}

/// A JSON object printed by `ncf`.
func jsonObject(_ text: String) throws -> [String: Any] {
  let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(object as? [String: Any])
}

// MARK: - XML

/// Parses an SVG with `XMLParser` and counts elements.
final class SVGCounter: NSObject, XMLParserDelegate {
  private(set) var elementCounts: [String: Int] = [:]
  /// `<line>` elements inside a `<g class="series segments">`.
  private(set) var segmentLines = 0
  private var stack: [(name: String, cls: String)] = []

  /// Parses `data`; nil when it is not well-formed XML.
  static func parse(_ data: Data) -> SVGCounter? {
    let counter = SVGCounter()
    let parser = XMLParser(data: data)
    parser.delegate = counter
    return parser.parse() ? counter : nil
  }

  func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
              attributes: [String: String] = [:]) {
    elementCounts[name, default: 0] += 1
    if name == "line", stack.contains(where: { $0.name == "g" && $0.cls.split(separator: " ").contains("segments") }) {
      segmentLines += 1
    }
    stack.append((name, attributes["class"] ?? ""))
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    stack.removeLast()
  }
}
