#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands input paths the way configs give them: a comma-separated list of globs or plain
/// paths (`/data/coco_train.record*`, `a.record,b.record`). Each pattern's matches are sorted
/// by byte order, as `tf.io.gfile.glob` returns them; lists are concatenated in the given order.
public enum InputPaths {
  /// The files matched by `spec`. Throws `DataError.noMatch` naming the first pattern that
  /// matches nothing (a pattern without wildcards must name an existing file).
  public static func expand(_ spec: String) throws -> [String] {
    let patterns = spec.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    guard !patterns.isEmpty else { throw DataError(.noMatch(pattern: spec)) }
    var files: [String] = []
    for pattern in patterns { files += try expandOne(pattern) }
    return files
  }

  /// Matches of one glob pattern, byte-order sorted; directories are excluded.
  public static func expandOne(_ pattern: String) throws -> [String] {
    var g = glob_t()
    defer { globfree(&g) }
    let rc = glob(pattern, 0, nil, &g)
    if rc == GLOB_NOMATCH { throw DataError(.noMatch(pattern: pattern)) }
    guard rc == 0 else { throw DataError(.io(path: pattern, operation: "glob", errno: errno)) }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
      guard let c = g.gl_pathv[i] else { continue }
      let path = String(cString: c)
      var st = stat()
      if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { continue }
      out.append(path)
    }
    guard !out.isEmpty else { throw DataError(.noMatch(pattern: pattern)) }
    return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> String {
    var s = self[...]
    while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
    return String(s)
  }
}
