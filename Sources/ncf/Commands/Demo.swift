import ArgumentParser

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run the built-in demo.")
  func run() throws { print("demo: not yet") }
}
