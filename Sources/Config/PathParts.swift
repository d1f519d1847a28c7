/// The parent and last component of a path as text (no file system access).
///
/// `NSString.deletingLastPathComponent` traps in swift-corelibs-foundation 6.3.1 on a
/// one-character relative path (`--model_dir m`), so the checks before the first step use
/// these instead.
public enum PathParts {
  /// The path without its last component: "" for a bare name, "/" for a top-level entry;
  /// trailing slashes are ignored ("a/b/" → "a").
  public static func parent(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    var head = p[..<slash]
    while head.count > 1 && head.hasSuffix("/") { head = head.dropLast() }
    return head.isEmpty ? "/" : String(head)
  }

  /// The last component ("a/b/" → "b"; "/" → "/").
  public static func last(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/"), p != "/" else { return String(p) }
    return String(p[p.index(after: slash)...])
  }
}
