/// A constant tensor of an ONNX graph (an initializer or an attribute value), as plain
/// Swift values: its name, element type, dimensions and little-endian raw bytes.
public struct ONNXTensor: Equatable, Sendable {
  /// ONNX `TensorProto.DataType` codes of the element types this exporter writes.
  public enum ElementType: Int32, Sendable {
    case float = 1
    case int64 = 7
    case bool = 9

    public var byteSize: Int {
      switch self {
      case .float: return 4
      case .int64: return 8
      case .bool: return 1
      }
    }
  }

  public var name: String
  public var type: ElementType
  public var dims: [Int]
  /// Row-major element bytes, little-endian (`TensorProto.raw_data`).
  public var rawData: [UInt8]

  public init(name: String, type: ElementType, dims: [Int], rawData: [UInt8]) {
    precondition(rawData.count == dims.reduce(1, *) * type.byteSize,
                 "ONNXTensor \(name): \(rawData.count) bytes do not fit \(dims) of \(type)")
    self.name = name; self.type = type; self.dims = dims; self.rawData = rawData
  }

  /// A float32 tensor.
  public init(name: String, dims: [Int], floats: [Float]) {
    precondition(floats.count == dims.reduce(1, *), "ONNXTensor \(name): \(floats.count) floats for dims \(dims)")
    var bytes = [UInt8](repeating: 0, count: floats.count * 4)
    bytes.withUnsafeMutableBytes { b in
      for (i, v) in floats.enumerated() { b.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
    }
    self.init(name: name, type: .float, dims: dims, rawData: bytes)
  }

  /// An int64 tensor.
  public init(name: String, dims: [Int], int64s: [Int64]) {
    precondition(int64s.count == dims.reduce(1, *), "ONNXTensor \(name): \(int64s.count) int64s for dims \(dims)")
    var bytes = [UInt8](repeating: 0, count: int64s.count * 8)
    bytes.withUnsafeMutableBytes { b in
      for (i, v) in int64s.enumerated() { b.storeBytes(of: v.littleEndian, toByteOffset: 8 * i, as: Int64.self) }
    }
    self.init(name: name, type: .int64, dims: dims, rawData: bytes)
  }

  public var elementCount: Int { dims.reduce(1, *) }

  /// The values of a float tensor.
  public var floats: [Float] {
    precondition(type == .float, "ONNXTensor \(name) is \(type), not float")
    return rawData.withUnsafeBytes { b in
      (0..<elementCount).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }
  }

  /// The values of an int64 tensor.
  public var int64s: [Int64] {
    precondition(type == .int64, "ONNXTensor \(name) is \(type), not int64")
    return rawData.withUnsafeBytes { b in
      (0..<elementCount).map { Int64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
    }
  }
}
