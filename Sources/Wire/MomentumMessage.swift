/// Worker → coordinator: the answer to `GetMomentumMessage`: the momentum accumulator of
/// the worker's ZeRO-1 shard.
public struct MomentumMessage: WireMessage, Equatable {
  public static let kind = MessageKind.momentum
  public var worker: Int
  public var shard: [Float]

  public init(worker: Int, shard: [Float]) {
    self.worker = worker
    self.shard = shard
  }

  public func encode(to w: inout WireWriter) {
    w.int(worker)
    shard.withUnsafeBufferPointer { w.floatBuffer($0) }
  }

  public init(from r: inout WireReader) throws {
    worker = try r.int(in: 0...Int(Int32.max), "worker rank")
    shard = try r.floats()
  }
}
