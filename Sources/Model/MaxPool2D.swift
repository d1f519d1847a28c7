/// Max pooling over k×k windows with stride s and TensorFlow SAME geometry on NHWC; padded
/// positions are ignored (never the maximum). ResNet's `pool1` is 3×3/2 (pad 0 before, 1
/// after on even sizes). Forward saves, per output element, the flat input index of its
/// maximum (first in window scan order on ties); backward routes dOutput there.
public final class MaxPool2D {
  public let kernel: Int, stride: Int
  private var argmax: [Int32] = []
  private var inputShape: [Int] = []

  /// Forward keeps the argmax indices for backward.
  public var keepsActivations = true

  public init(kernel: Int = 3, stride: Int = 2) { self.kernel = kernel; self.stride = stride }

  public func forward(_ x: Tensor) -> Tensor {
    let ay = AxisGeometry(input: x.height, kernel: kernel, stride: stride, padding: .same)
    let ax = AxisGeometry(input: x.width, kernel: kernel, stride: stride, padding: .same)
    let n = x.batch, h = x.height, w = x.width, c = x.channels
    let ho = ay.output, wo = ax.output
    precondition(x.count < Int(Int32.max), "MaxPool2D input too large for 32-bit indices")
    var idx = [Int32](repeating: 0, count: n * ho * wo * c)
    let k = kernel, s = stride, pt = ay.padBefore, pl = ax.padBefore
    let y = Tensor(uninitialized: [n, ho, wo, c]) { out in
      Profiler.measure(.pool) {
        x.data.withUnsafeBufferPointer { xb in
          idx.withUnsafeMutableBufferPointer { ib in
            let xp = xb.baseAddress!, o = out.baseAddress!, ip = ib.baseAddress!
            Parallel.forEachChunk(count: n * ho, minChunk: 8) { _, part in
              for nr in part {
                let b = nr / ho, oy = nr % ho
                let ylo = max(0, oy * s - pt), yhi = min(h, oy * s - pt + k)
                for ox in 0..<wo {
                  let xlo = max(0, ox * s - pl), xhi = min(w, ox * s - pl + k)
                  let dst = ((b * ho + oy) * wo + ox) * c
                  let first = ((b * h + ylo) * w + xlo) * c
                  for ch in 0..<c { o[dst + ch] = xp[first + ch]; ip[dst + ch] = Int32(first + ch) }
                  for iy in ylo..<yhi {
                    for ix in xlo..<xhi {
                      let src = ((b * h + iy) * w + ix) * c
                      for ch in 0..<c where xp[src + ch] > o[dst + ch] {
                        o[dst + ch] = xp[src + ch]; ip[dst + ch] = Int32(src + ch)
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    argmax = keepsActivations ? idx : []
    inputShape = x.shape
    return y
  }

  public func backward(_ dy: Tensor) -> Tensor {
    precondition(dy.count == argmax.count, "MaxPool2D.backward: dOutput \(dy.shape) does not match forward")
    var dx = Tensor(zeros: inputShape)
    Profiler.measure(.pool) {
      dx.data.withUnsafeMutableBufferPointer { db in
        dy.data.withUnsafeBufferPointer { gb in
          argmax.withUnsafeBufferPointer { ib in
            for i in 0..<gb.count { db[Int(ib[i])] += gb[i] }
          }
        }
      }
    }
    argmax = []
    return dx
  }
}
