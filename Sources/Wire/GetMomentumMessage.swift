/// Coordinator → every worker: send your momentum shard (answered with a `MomentumMessage`).
public struct GetMomentumMessage: WireMessage, Equatable {
  public static let kind = MessageKind.getMomentum
  public init() {}
  public func encode(to w: inout WireWriter) {}
  public init(from r: inout WireReader) throws {}
}
