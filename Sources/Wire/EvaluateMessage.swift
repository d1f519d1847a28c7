/// Coordinator → worker w: infer the evaluation samples `indices` (w's share), `batchSize`
/// images per forward pass (results do not depend on it). Answered with an
/// `EvaluatedMessage`.
public struct EvaluateMessage: WireMessage, Equatable {
  public static let kind = MessageKind.evaluate
  public var batchSize: Int
  public var indices: [Int]

  public init(batchSize: Int, indices: [Int]) {
    self.batchSize = batchSize
    self.indices = indices
  }

  public func encode(to w: inout WireWriter) {
    w.int(batchSize)
    w.ints(indices)
  }

  public init(from r: inout WireReader) throws {
    batchSize = try r.int(in: 1...Int(Int32.max), "batch size")
    indices = try r.ints()
    guard indices.allSatisfy({ $0 >= 0 }) else { throw WireError(what: r.what, reason: "negative sample index") }
  }
}
