/// A position in a config file: 1-based line and column (columns count characters).
/// `origin` names text that is not the file itself (e.g. command-line overrides, where the
/// line is the override's number); diagnostics then print it instead of the file name.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var origin: String?

  public init(line: Int, column: Int, origin: String? = nil) {
    self.line = line
    self.column = column
    self.origin = origin
  }

  /// The start of a file; used for problems that belong to the whole file.
  public static let fileStart = SourceLocation(line: 1, column: 1)

  public var description: String { "\(line):\(column)" }

  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }
}
