import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A minimal DOM built with `XMLParser`, so tests can check that the SVG is
/// well-formed XML and inspect its structure.
final class XMLNode {
  let name: String
  let attributes: [String: String]
  var children: [XMLNode] = []
  var text = ""

  init(name: String, attributes: [String: String]) {
    self.name = name
    self.attributes = attributes
  }

  /// This node and all below it, depth first.
  var allNodes: [XMLNode] { [self] + children.flatMap(\.allNodes) }

  /// Descendants (and self) with this element name.
  func elements(_ name: String) -> [XMLNode] { allNodes.filter { $0.name == name } }

  /// Descendants (and self) whose `class` attribute contains `cls` as a word.
  func elements(withClass cls: String) -> [XMLNode] {
    allNodes.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(cls)) }
  }

  /// The concatenated text of this node and its descendants.
  var allText: String { text + children.map(\.allText).joined() }
}

struct XMLParseFailure: Error, CustomStringConvertible {
  let description: String
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
  var stack: [XMLNode] = []
  var root: XMLNode?
  var comments: [String] = []

  func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
              qualifiedName: String?, attributes: [String: String] = [:]) {
    let node = XMLNode(name: name, attributes: attributes)
    stack.last?.children.append(node)
    if stack.isEmpty { root = node }
    stack.append(node)
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    stack.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    stack.last?.text += string
  }

  func parser(_ parser: XMLParser, foundComment comment: String) {
    comments.append(comment)
  }
}

/// Parses `text` as XML; throws unless it is well-formed.
func parseXML(_ text: String) throws -> (root: XMLNode, comments: [String]) {
  let parser = XMLParser(data: Data(text.utf8))
  let builder = TreeBuilder()
  parser.delegate = builder
  guard parser.parse(), let root = builder.root else {
    throw XMLParseFailure(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root")")
  }
  return (root, builder.comments)
}
