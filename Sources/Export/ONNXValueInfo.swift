/// A typed, shaped value of an ONNX graph (`ValueInfoProto` with a tensor type): graph
/// inputs, outputs and annotated intermediates.
public struct ONNXValueInfo: Equatable, Sendable {
  /// One dimension: a fixed size or a named symbolic size (the dynamic batch, `N`).
  public enum Dim: Equatable, Hashable, Sendable, CustomStringConvertible {
    case fixed(Int)
    case symbolic(String)

    public var description: String {
      switch self {
      case .fixed(let n): return "\(n)"
      case .symbolic(let s): return s
      }
    }
  }

  public var name: String
  public var type: ONNXTensor.ElementType
  public var dims: [Dim]
  public var docString: String

  public init(name: String, type: ONNXTensor.ElementType, dims: [Dim], docString: String = "") {
    self.name = name; self.type = type; self.dims = dims; self.docString = docString
  }
}
