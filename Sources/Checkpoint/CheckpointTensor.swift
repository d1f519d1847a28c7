/// One tensor to write into a checkpoint: TensorFlow name, element type, shape and raw
/// little-endian row-major bytes (`elementCount × dtype.byteSize` of them).
public struct CheckpointTensor: Sendable {
  public let name: String
  public let dtype: TensorDataType
  public let shape: [Int]
  public let bytes: [UInt8]

  public init(name: String, dtype: TensorDataType, shape: [Int], bytes: [UInt8]) {
    guard let size = dtype.byteSize else { preconditionFailure("cannot write \(dtype) tensor '\(name)'") }
    precondition(!name.isEmpty, "a checkpoint tensor needs a non-empty name")
    precondition(shape.allSatisfy { $0 >= 0 }, "'\(name)' has negative dimensions \(shape)")
    precondition(bytes.count == shape.reduce(1, *) * size,
                 "'\(name)': \(bytes.count) bytes for shape \(shape) of \(dtype)")
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  public static func float32(_ name: String, shape: [Int], _ values: [Float]) -> CheckpointTensor {
    CheckpointTensor(name: name, dtype: .float32, shape: shape, bytes: rawBytes(values))
  }

  public static func float64(_ name: String, shape: [Int], _ values: [Double]) -> CheckpointTensor {
    CheckpointTensor(name: name, dtype: .float64, shape: shape, bytes: rawBytes(values))
  }

  public static func int32(_ name: String, shape: [Int], _ values: [Int32]) -> CheckpointTensor {
    CheckpointTensor(name: name, dtype: .int32, shape: shape, bytes: rawBytes(values))
  }

  public static func int64(_ name: String, shape: [Int], _ values: [Int64]) -> CheckpointTensor {
    CheckpointTensor(name: name, dtype: .int64, shape: shape, bytes: rawBytes(values))
  }

  /// In-memory bytes of a numeric array (little-endian on every supported platform).
  static func rawBytes<T>(_ values: [T]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
  }
}
