/// Coordinator → every worker: worker 0 broadcasts its batch-norm moving statistics over the
/// ring (before an evaluation, so every worker infers with worker 0's). No answer.
public struct SyncStatesMessage: WireMessage, Equatable {
  public static let kind = MessageKind.syncStates
  public init() {}
  public func encode(to w: inout WireWriter) {}
  public init(from r: inout WireReader) throws {}
}
