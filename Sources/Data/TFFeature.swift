/// One value of a tf.train.Example's feature map: exactly one typed list (or nothing set).
public enum TFFeature: Equatable, Sendable {
  case bytes([[UInt8]])
  case floats([Float])
  case int64s([Int64])
  /// A `Feature` message with no list set (TensorFlow treats it as an empty list).
  case unset

  /// The proto name of the list kind, for error messages.
  public var kindName: String {
    switch self {
    case .bytes: return "bytes_list"
    case .floats: return "float_list"
    case .int64s: return "int64_list"
    case .unset: return "feature with no list"
    }
  }

  /// Number of values in the list (0 when unset).
  public var count: Int {
    switch self {
    case let .bytes(v): return v.count
    case let .floats(v): return v.count
    case let .int64s(v): return v.count
    case .unset: return 0
    }
  }

  /// Bit-level equality: floats compare by bit pattern, so NaN equals the same NaN.
  public func bitwiseEqual(_ other: TFFeature) -> Bool {
    switch (self, other) {
    case let (.floats(a), .floats(b)): return a.map(\.bitPattern) == b.map(\.bitPattern)
    default: return self == other
    }
  }
}
