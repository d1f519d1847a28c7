/// Coordinator → every worker: a training phase ended (evaluation or exit next); workers
/// stop their input threads. No answer.
public struct EndPhaseMessage: WireMessage, Equatable {
  public static let kind = MessageKind.endPhase
  public init() {}
  public func encode(to w: inout WireWriter) {}
  public init(from r: inout WireReader) throws {}
}
