/// Where one trainable variable's gradient lives in the flat gradient arena, as the
/// all-reduce sees it (`Comm` does not import `Model`; the worker maps `Variable`s to these).
public struct VariableLayout: Hashable, Codable, Sendable {
  /// TensorFlow's variable name, e.g. `FeatureExtractor/resnet_v1_50/conv1/weights`.
  public let name: String
  /// TensorFlow's shape (HWIO for kernels); [] for a scalar.
  public let shape: [Int]
  /// First element in the arena.
  public let offset: Int

  public init(name: String, shape: [Int], offset: Int) {
    precondition(shape.allSatisfy { $0 >= 0 }, "variable \(name) has a negative dimension: \(shape)")
    self.name = name
    self.shape = shape
    self.offset = offset
  }

  /// Number of elements (product of the shape).
  public var count: Int { shape.reduce(1, *) }

  /// Elements of the arena this variable covers.
  public var range: Range<Int> { offset..<(offset + count) }
}
