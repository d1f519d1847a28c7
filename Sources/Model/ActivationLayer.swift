/// A stand-alone ReLU or ReLU6 on any tensor. Forward saves its output (the mask is
/// read from it, as `Activation.passes` explains); backward zeroes dOutput where the unit
/// was clipped, in place when dOutput is uniquely held.
public final class ActivationLayer {
  public let activation: Activation
  private var output: Tensor?

  public init(_ activation: Activation) { self.activation = activation }

  public func forward(_ x: Tensor) -> Tensor {
    let act = activation
    let y = Tensor(uninitialized: x.shape) { out in
      Profiler.measure(.activation) {
        x.data.withUnsafeBufferPointer { xb in
          let xp = xb.baseAddress!, o = out.baseAddress!
          Parallel.forEachChunk(count: x.count, minChunk: 65_536) { _, part in
            for i in part { o[i] = act.apply(xp[i]) }
          }
        }
      }
    }
    output = y
    return y
  }

  public func backward(_ dy: consuming Tensor) -> Tensor {
    guard let y = output else { preconditionFailure("ActivationLayer.backward called without forward") }
    precondition(dy.shape == y.shape, "ActivationLayer.backward expects \(y.shape), got \(dy.shape)")
    output = nil
    var dx = consume dy
    let act = activation
    Profiler.measure(.activation) {
      dx.data.withUnsafeMutableBufferPointer { db in
        y.data.withUnsafeBufferPointer { yb in
          let d = db.baseAddress!, yp = yb.baseAddress!
          Parallel.forEachChunk(count: y.count, minChunk: 65_536) { _, part in
            for i in part where !act.passes(yp[i]) { d[i] = 0 }
          }
        }
      }
    }
    return dx
  }
}
