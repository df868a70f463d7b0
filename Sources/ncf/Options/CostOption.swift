import ArgumentParser
import Foundation
import NCFTransport

/// `--cost` for the commands that train an NCF model: any spelling of
/// ``Cost``, refused (with the reason and the replacement) when NCF cannot
/// train with it.
struct NCFCostOption: ParsableArguments {
  @Option(name: .customLong("cost"), help: ArgumentHelp(
    "Transport cost: quadratic (½‖x − y‖²) or pnormp:P (Σₖ|xₖ − yₖ|ᴾ/P, P > 1), as on every command (default: quadratic).",
    valueName: "cost"))
  var spelling: String?

  func validate() throws {
    guard let spelling else { return }
    let cost = try CostOption.parse(spelling)
    if let refusal = cost.ncfRefusal { throw ValidationError("--cost \(spelling): \(refusal)") }
  }

  /// The cost to train with.
  var cost: Cost { spelling.flatMap(Cost.init) ?? .quadratic }

  /// Prints the deprecation note of an old spelling, if any.
  func warnIfDeprecated() { if let spelling { CostOption.warnIfDeprecated(spelling) } }
}

/// Reading a `--cost` spelling with the messages of ``Cost/parse(_:)``.
enum CostOption {
  /// - Throws: `ValidationError` (exit status 64) with the parser's message.
  static func parse(_ spelling: String) throws -> Cost {
    do throws(CostSpellingError) {
      return try Cost.parse(spelling).cost
    } catch {
      throw ValidationError(error.description)
    }
  }

  /// Prints the deprecation note of an old spelling on stderr.
  static func warnIfDeprecated(_ spelling: String) {
    if let note = try? Cost.parse(spelling).deprecation {
      FileHandle.standardError.write(Data("warning: \(note)\n".utf8))
    }
  }
}
