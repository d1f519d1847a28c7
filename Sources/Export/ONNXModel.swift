/// An ONNX model as plain Swift values (`ModelProto` with one `GraphProto`), what
/// `ONNXCodec` serializes. Nodes are in topological order.
public struct ONNXModel: Equatable, Sendable {
  /// ONNX IR version 8 goes with opset 17 (ONNX 1.12).
  public static let irVersion = 8
  /// The default-domain operator set the exporter writes: opset 17 (ONNX 1.12, 2022),
  /// which ONNX Runtime has run since 1.12 and TensorRT 8.6 / OpenVINO load.
  public static let opsetVersion = 17

  public var irVersion: Int = ONNXModel.irVersion
  public var opsetVersion: Int = ONNXModel.opsetVersion
  public var producerName: String = "swift-ssd"
  public var producerVersion: String = ""
  public var docString: String = ""
  public var graphName: String = ""
  public var nodes: [ONNXNode] = []
  public var initializers: [ONNXTensor] = []
  public var inputs: [ONNXValueInfo] = []
  public var outputs: [ONNXValueInfo] = []
  /// Shapes of intermediate values (lets tools show them; the checker verifies them).
  public var valueInfo: [ONNXValueInfo] = []
  /// `ModelProto.metadata_props`, in this order.
  public var metadata: [(key: String, value: String)] = []

  public init() {}

  public static func == (a: ONNXModel, b: ONNXModel) -> Bool {
    a.irVersion == b.irVersion && a.opsetVersion == b.opsetVersion && a.producerName == b.producerName
      && a.producerVersion == b.producerVersion && a.docString == b.docString && a.graphName == b.graphName
      && a.nodes == b.nodes && a.initializers == b.initializers && a.inputs == b.inputs && a.outputs == b.outputs
      && a.valueInfo == b.valueInfo && a.metadata.map(\.key) == b.metadata.map(\.key)
      && a.metadata.map(\.value) == b.metadata.map(\.value)
  }
}
