/// A field the file sets that this trainer (like the fork's model_main.py) does not act on.
public struct IgnoredField: Equatable, Sendable, CustomStringConvertible {
  /// Dotted path, e.g. `train_config.sync_replicas`.
  public var path: String
  public var location: SourceLocation
  public var reason: String

  public var description: String { "\(location): \(path): ignored: \(reason)" }
}
