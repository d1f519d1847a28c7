/// Coordinator → every worker: the run is over; finalize MPI and exit 0. No answer.
public struct ShutdownMessage: WireMessage, Equatable {
  public static let kind = MessageKind.shutdown
  public init() {}
  public func encode(to w: inout WireWriter) {}
  public init(from r: inout WireReader) throws {}
}
