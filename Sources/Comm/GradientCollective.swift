/// Which collective of a training step a `StallDetector` watches (named in stall reports).
public enum GradientCollective: Hashable, Sendable, CustomStringConvertible {
  /// The reduce-scatter of gradient bucket k (`BucketPlan` order).
  case bucket(Int)
  /// The all-gather of the updated weights after the shard update.
  case allGather
  /// The sum over workers of the gradient-clipping norm's partial sums.
  case gradientNorm

  public var description: String {
    switch self {
    case .bucket(let k): return "gradient bucket \(k)"
    case .allGather: return "weight all-gather"
    case .gradientNorm: return "gradient-norm sum"
    }
  }

  /// The 8-byte identity sent in presence notices.
  var code: UInt64 {
    switch self {
    case .bucket(let k): return UInt64(k)
    case .allGather: return UInt64.max - 1
    case .gradientNorm: return UInt64.max - 2
    }
  }

  static func decode(_ code: UInt64) -> String {
    switch code {
    case UInt64.max - 1: return "\(GradientCollective.allGather)"
    case UInt64.max - 2: return "\(GradientCollective.gradientNorm)"
    default: return "\(GradientCollective.bucket(Int(truncatingIfNeeded: code)))"
    }
  }
}
