/// One attribute of an ONNX node (`AttributeProto`), the kinds this exporter writes.
public struct ONNXAttribute: Equatable, Sendable {
  public enum Value: Equatable, Sendable {
    case int(Int)
    case ints([Int])
    case float(Float)
    case string(String)
    case tensor(ONNXTensor)
  }

  public var name: String
  public var value: Value

  public init(_ name: String, _ value: Value) { self.name = name; self.value = value }
}
