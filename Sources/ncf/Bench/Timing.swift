import Foundation

/// Wall-clock timing for benchmarks: best and median of `repeats` runs after
/// `warmup` runs (best is the figure least disturbed by a noisy machine).
struct Timing {
  var best: Double
  var median: Double

  static func measure(repeats: Int = 7, warmup: Int = 2, _ body: () -> Void) -> Timing {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
      let start = DispatchTime.now().uptimeNanoseconds
      body()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    times.sort()
    return Timing(best: times[0], median: times[times.count / 2])
  }
}

/// A Markdown table printer.
struct MarkdownTable {
  var header: [String]
  var rows: [[String]] = []
  mutating func add(_ row: [String]) { rows.append(row) }
  var text: String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
      "| " + r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
    }
    return ([line(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
      + rows.map(line)).joined(separator: "\n")
  }
}

func format(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
