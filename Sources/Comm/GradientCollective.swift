/// Which collective of a training step a `StallDetector` watches (named in stall reports).
public enum GradientCollective: Hashable, Sendable, CustomStringConvertible {
  /// The reduce-scatter of gradient bucket k (`BucketPlan` order).
  case bucket(Int)
  /// The all-gather of the updated weights after the shard update.
  case allGather

  public var description: String {
    switch self {
    case .bucket(let k): return "gradient bucket \(k)"
    case .allGather: return "weight all-gather"
    }
  }

  /// The 8-byte identity sent in presence notices.
  var code: UInt64 {
    switch self {
    case .bucket(let k): return UInt64(k)
    case .allGather: return UInt64.max - 1
    }
  }

  static func decode(_ code: UInt64) -> String {
    code == UInt64.max - 1 ? "\(GradientCollective.allGather)" : "\(GradientCollective.bucket(Int(truncatingIfNeeded: code)))"
  }
}
