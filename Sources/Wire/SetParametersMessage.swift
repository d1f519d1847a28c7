/// Coordinator → every worker: replace your weights and batch-norm statistics (restore,
/// fine-tune). No answer.
public struct SetParametersMessage: WireMessage, Equatable {
  public static let kind = MessageKind.setParameters
  public var arenas: ParameterArenas

  public init(values: [Float], states: [Float]) { arenas = ParameterArenas(values: values, states: states) }
  public func encode(to w: inout WireWriter) { arenas.encode(to: &w) }
  public init(from r: inout WireReader) throws { arenas = try ParameterArenas(from: &r) }
}
