/// A worker's whole parameter state as it crosses the wire: the trainable arena and the
/// batch-norm state arena (`ParameterStore.values`, `.states`), raw float32 each.
public struct ParameterArenas: WireCodable, Equatable {
  public var values: [Float]
  public var states: [Float]

  public init(values: [Float], states: [Float]) {
    self.values = values
    self.states = states
  }

  public func encode(to w: inout WireWriter) {
    values.withUnsafeBufferPointer { w.floatBuffer($0) }
    states.withUnsafeBufferPointer { w.floatBuffer($0) }
  }

  public init(from r: inout WireReader) throws {
    values = try r.floats()
    states = try r.floats()
  }
}
