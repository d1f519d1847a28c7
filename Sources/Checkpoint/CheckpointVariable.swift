/// One variable listed in a checkpoint: its TensorFlow name, element type and shape
/// (outermost dimension first; `[]` for a scalar).
public struct CheckpointVariable: Hashable, Sendable {
  public let name: String
  public let dtype: TensorDataType
  public let shape: [Int]

  public init(name: String, dtype: TensorDataType, shape: [Int]) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
  }

  /// Number of elements (1 for a scalar).
  public var elementCount: Int { shape.reduce(1, *) }

  /// Size of the raw little-endian row-major bytes; nil for strings and unknown types.
  public var byteCount: Int? { dtype.byteSize.map { $0 * elementCount } }
}
