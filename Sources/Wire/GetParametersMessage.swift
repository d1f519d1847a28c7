/// Coordinator → worker 0: send your weights and batch-norm statistics (answered with a
/// `ParametersMessage`).
public struct GetParametersMessage: WireMessage, Equatable {
  public static let kind = MessageKind.getParameters
  public init() {}
  public func encode(to w: inout WireWriter) {}
  public init(from r: inout WireReader) throws {}
}
