#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Input path patterns as configs give them: a comma-separated list of globs or plain paths
/// (`/data/coco_train.record*`, `a.record,b.record`). A pattern's matches are sorted by byte
/// order, as `tf.io.gfile.glob` returns them; directories are left out. The input pipeline
/// (`Data.InputPaths`) and the checks before training (`Preflight`) both expand them here.
public enum InputGlob {
  /// The non-empty, space-trimmed patterns of a comma-separated list.
  public static func patterns(_ spec: String) -> [String] {
    spec.split(separator: ",").map { $0.trimmingCharacters(in: [" ", "\t", "\n"]) }.filter { !$0.isEmpty }
  }

  /// What one pattern matched.
  public enum Matches: Equatable, Sendable {
    case files([String])
    /// No file matches (a pattern without wildcards names no existing file).
    case none
    /// glob(3) failed with this errno (e.g. a directory it may not read).
    case failed(errno: Int32)
  }

  /// The files one glob pattern matches, byte-order sorted, directories excluded.
  public static func match(_ pattern: String) -> Matches {
    var g = glob_t()
    defer { globfree(&g) }
    let rc = glob(pattern, 0, nil, &g)
    if rc == GLOB_NOMATCH { return .none }
    guard rc == 0 else { return .failed(errno: errno) }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
      guard let c = g.gl_pathv[i] else { continue }
      let path = String(cString: c)
      var st = stat()
      if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { continue }
      out.append(path)
    }
    if out.isEmpty { return .none }
    return .files(out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
    var s = self[...]
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
