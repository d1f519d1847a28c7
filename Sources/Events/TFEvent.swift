/// One record of a TensorBoard event file (`tensorflow.Event`): a wall time, a global step
/// and what happened — the file's version line, a summary of scalars and images, a session
/// marker, or a graph (kept as opaque bytes).
public struct TFEvent: Equatable, Sendable {
  public enum Content: Equatable, Sendable {
    /// The first record of every file: `brain.Event:2`.
    case fileVersion(String)
    case summary([SummaryValue])
    case sessionLog(SessionLog)
    /// A serialized `GraphDef` (TensorFlow writes one per training run; we never do).
    case graphDef([UInt8])
    /// A serialized `MetaGraphDef`.
    case metaGraphDef([UInt8])
    /// No `what` field, or one this reader does not know (e.g. `log_message`).
    case none
  }

  /// Seconds since the Unix epoch.
  public var wallTime: Double
  public var step: Int64
  public var content: Content

  public init(wallTime: Double, step: Int64, content: Content) {
    self.wallTime = wallTime
    self.step = step
    self.content = content
  }

  /// The version every event file written today starts with (TensorBoard accepts any
  /// `brain.Event:` version).
  public static let fileVersion = "brain.Event:2"

  /// The summary values, or none for other events.
  public var summaryValues: [SummaryValue] {
    if case .summary(let values) = content { return values }
    return []
  }
}
