#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether two paths name the same file: what a command checks, before any
/// work, so that an output never replaces one of its own inputs.
public enum FileIdentity {
  /// True when `a` and `b` name the same file, or would once written:
  /// - when both exist, they are the same file after following symbolic
  ///   links: same device and inode, so a symbolic link, a hard link, and a
  ///   different spelling (`./x`, `dir/../x`) all count;
  /// - otherwise (an output not written yet, or a dangling link), they have
  ///   the same last component in the same directory after resolving that
  ///   directory's symbolic links; a directory that cannot be resolved
  ///   compares by its text.
  ///
  /// An existing file and a missing one are never the same.
  /// - Complexity: a few `stat` and `realpath` calls.
  public static func same(_ a: String, _ b: String) -> Bool {
    guard !a.isEmpty, !b.isEmpty else { return false }
    let (ia, ib) = (identity(a), identity(b))
    if let ia, let ib { return ia == ib }
    if ia != nil || ib != nil { return false }
    return location(a) == location(b)
  }

  /// The first output that names the same file as an input, or as an
  /// earlier output, with that other path; nil when all are distinct.
  /// - Complexity: O((outputs + inputs) · outputs) comparisons.
  public static func firstClash(outputs: [String], inputs: [String]) -> (output: String, other: String)? {
    firstClash(outputs: outputs.map { ($0, $0) }, inputs: inputs.map { ($0, $0) }).map { ($0.output.path, $0.other.path) }
  }

  /// ``firstClash(outputs:inputs:)`` for paths that carry a label (the
  /// option that named them), returned with the paths.
  public static func firstClash<Label>(
    outputs: [(label: Label, path: String)], inputs: [(label: Label, path: String)]
  ) -> (output: (label: Label, path: String), other: (label: Label, path: String), otherIsInput: Bool)? {
    for (k, output) in outputs.enumerated() {
      if let input = inputs.first(where: { same(output.path, $0.path) }) { return (output, input, true) }
      if let earlier = outputs[..<k].first(where: { same(output.path, $0.path) }) { return (output, earlier, false) }
    }
    return nil
  }

  /// Device and inode of the file `path` names (links followed), nil when it does not exist.
  static func identity(_ path: String) -> [UInt64]? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return [UInt64(info.st_dev), UInt64(info.st_ino)]
  }

  /// The resolved directory and the last component of a path that does not exist.
  static func location(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    let name = trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? String(trimmed)
    let directory = AtomicFile.directory(of: String(trimmed))
    guard let resolved = realpath(directory, nil) else { return directory + "/" + name }
    defer { free(resolved) }
    return String(cString: resolved) + "/" + name
  }
}
