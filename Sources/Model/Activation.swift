/// The point-wise non-linearity fused after a batch norm (or applied alone by `ActivationLayer`).
public enum Activation: Equatable {
  case none
  /// max(x, 0): the post-residual-add activation of ResNet v1.
  case relu
  /// min(max(x, 0), 6): every other conv+BN in the model.
  case relu6

  @inline(__always)
  public func apply(_ v: Float) -> Float {
    switch self {
    case .none: return v
    case .relu: return max(v, 0)
    case .relu6: return min(max(v, 0), 6)
    }
  }

  /// dOutput/dInput expressed from the *output* y: 1 where the unit was linear. Equals
  /// TensorFlow's ReluGrad/Relu6Grad, which test the input (0 < x (< 6)).
  @inline(__always)
  public func passes(_ y: Float) -> Bool {
    switch self {
    case .none: return true
    case .relu: return y > 0
    case .relu6: return y > 0 && y < 6
    }
  }
}
