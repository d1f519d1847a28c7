/// Coordinator → worker w: replace your momentum shard (a restored checkpoint's momentum,
/// cut with the current `ShardLayout`). No answer.
public struct SetMomentumMessage: WireMessage, Equatable {
  public static let kind = MessageKind.setMomentum
  public var shard: [Float]

  public init(shard: [Float]) { self.shard = shard }

  public func encode(to w: inout WireWriter) { shard.withUnsafeBufferPointer { w.floatBuffer($0) } }

  public init(from r: inout WireReader) throws { shard = try r.floats() }
}
