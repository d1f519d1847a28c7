import Config

/// Expands input paths the way configs give them: a comma-separated list of globs or plain
/// paths (`/data/coco_train.record*`, `a.record,b.record`). Each pattern's matches are sorted
/// by byte order, as `tf.io.gfile.glob` returns them; lists are concatenated in the given order.
/// The matching itself is `Config.InputGlob`'s (shared with the checks before training).
public enum InputPaths {
  /// The files matched by `spec`. Throws `DataError.noMatch` naming the first pattern that
  /// matches nothing (a pattern without wildcards must name an existing file).
  public static func expand(_ spec: String) throws -> [String] {
    let patterns = InputGlob.patterns(spec)
    guard !patterns.isEmpty else { throw DataError(.noMatch(pattern: spec)) }
    var files: [String] = []
    for pattern in patterns { files += try expandOne(pattern) }
    return files
  }

  /// Matches of one glob pattern, byte-order sorted; directories are excluded.
  public static func expandOne(_ pattern: String) throws -> [String] {
    switch InputGlob.match(pattern) {
    case .files(let files): return files
    case .none: throw DataError(.noMatch(pattern: pattern))
    case .failed(let code): throw DataError(.io(path: pattern, operation: "glob", errno: code))
    }
  }
}
