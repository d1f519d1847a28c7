/// Coordinator → every worker: run the training step at global step `step` (the counter
/// before the increment). Every worker answers with a `StepDoneMessage`.
public struct TrainMessage: WireMessage, Equatable {
  public static let kind = MessageKind.train
  public var step: Int

  public init(step: Int) { self.step = step }

  public func encode(to w: inout WireWriter) { w.int(step) }

  public init(from r: inout WireReader) throws { step = try r.int(in: 0...Int.max, "step") }
}
