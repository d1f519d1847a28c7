/// One operator application of an ONNX graph (`NodeProto`, default domain): inputs and
/// outputs are value names (an empty input name = an omitted optional input).
public struct ONNXNode: Equatable, Sendable {
  public var opType: String
  public var name: String
  public var inputs: [String]
  public var outputs: [String]
  public var attributes: [ONNXAttribute]

  public init(opType: String, name: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = []) {
    self.opType = opType; self.name = name; self.inputs = inputs; self.outputs = outputs; self.attributes = attributes
  }

  /// The attribute called `name`, if present.
  public func attribute(_ name: String) -> ONNXAttribute.Value? { attributes.first { $0.name == name }?.value }
}
