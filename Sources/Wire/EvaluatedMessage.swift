/// Worker → coordinator: the answer to `EvaluateMessage`, one result per index, in order.
public struct EvaluatedMessage: WireMessage, Equatable {
  public static let kind = MessageKind.evaluated
  public var worker: Int
  public var images: [EvaluatedImage]

  public init(worker: Int, images: [EvaluatedImage]) {
    self.worker = worker
    self.images = images
  }

  public func encode(to w: inout WireWriter) {
    w.int(worker)
    w.array(images)
  }

  public init(from r: inout WireReader) throws {
    worker = try r.int(in: 0...Int(Int32.max), "worker rank")
    images = try r.array(of: EvaluatedImage.self, minimumSize: 8)
  }
}
