/// Worker 0 → coordinator: the answer to `GetParametersMessage`.
public struct ParametersMessage: WireMessage, Equatable {
  public static let kind = MessageKind.parameters
  public var arenas: ParameterArenas

  public init(values: [Float], states: [Float]) { arenas = ParameterArenas(values: values, states: states) }
  public func encode(to w: inout WireWriter) { arenas.encode(to: &w) }
  public init(from r: inout WireReader) throws { arenas = try ParameterArenas(from: &r) }
}
