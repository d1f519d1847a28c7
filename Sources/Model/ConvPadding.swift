/// How a convolution or pooling window is padded.
public enum ConvPadding: Equatable {
  /// TensorFlow 'SAME': `out = ceil(n/s)`, `total = max((out−1)·s + k − n, 0)`,
  /// `before = total/2` (floor), the extra pixel goes bottom/right.
  case same
  /// slim's `conv2d_same`: with stride 1 an ordinary SAME conv; with stride > 1 an explicit
  /// symmetric zero pad `before = (k−1)/2`, `after = k−1−before`, then a VALID conv.
  case conv2dSame
  /// No padding: `out = (n − k)/s + 1`.
  case valid
}

/// Output size and leading pad of one spatial axis.
public struct AxisGeometry: Equatable {
  public let input: Int, output: Int, padBefore: Int

  public init(input n: Int, kernel k: Int, stride s: Int, padding: ConvPadding) {
    var out = 0, before = 0
    switch padding {
    case .same:
      out = (n + s - 1) / s
      before = max((out - 1) * s + k - n, 0) / 2
    case .conv2dSame where s == 1:
      out = n
      before = (k - 1) / 2
    case .conv2dSame:
      before = (k - 1) / 2
      out = (n + (k - 1) - k) / s + 1
    case .valid:
      precondition(n >= k, "VALID window of \(k) does not fit an input of \(n)")
      out = (n - k) / s + 1
    }
    input = n; output = out; padBefore = before
  }
}
