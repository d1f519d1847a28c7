/// slim `l2_regularizer(scale)` over the variables marked `regularized` (the conv kernels):
/// per tensor `scale · Σw²/2` (TensorFlow's `l2_loss` halves), summed over tensors;
/// gradient `scale · w`. SSD320 v1.2: scale 0.0004.
public struct L2Regularizer {
  public var scale: Float

  public init(scale: Float = 0.0004) {
    self.scale = scale
  }

  /// The regularization loss (Σw² per tensor accumulated in double).
  public func loss(_ params: ParameterStore) -> Float {
    var total: Float = 0
    params.values.withUnsafeBufferPointer { v in
      for variable in params.variables where variable.regularized {
        precondition(variable.param.trainable, "L2Regularizer: \(variable.name) is regularized but not trainable")
        var s: Double = 0
        let base = v.baseAddress! + variable.param.offset
        for i in 0..<variable.param.count { let w = Double(base[i]); s += w * w }
        total += scale * Float(s / 2)
      }
    }
    return total
  }

  /// Adds `scale · w` to `params.gradients` of every regularized variable and returns the loss.
  @discardableResult
  public func apply(to params: ParameterStore) -> Float {
    let value = loss(params)
    let s = scale
    params.values.withUnsafeBufferPointer { v in
      params.gradients.withUnsafeMutableBufferPointer { g in
        for variable in params.variables where variable.regularized {
          let o = variable.param.offset
          for i in o..<(o + variable.param.count) { g[i] += s * v[i] }
        }
      }
    }
    return value
  }
}
