/// Nearest-neighbour 2× upsampling and even-position subsampling of NHWC tensors.
public enum Resample {
  /// out[n, 2i+a, 2j+b, c] = x[n, i, j, c] for a, b ∈ {0, 1}: [N,H,W,C] → [N,2H,2W,C].
  public static func upsample2x(_ x: Tensor) -> Tensor {
    let n = x.batch, h = x.height, w = x.width, c = x.channels
    return Tensor(uninitialized: [n, 2 * h, 2 * w, c]) { out in
      Profiler.measure(.pool) {
        x.data.withUnsafeBufferPointer { xb in
          let xp = xb.baseAddress!, o = out.baseAddress!
          Parallel.forEachChunk(count: n * h, minChunk: 4) { _, part in
            for nr in part {
              let src = xp + nr * w * c
              let row0 = o + (2 * nr) * (2 * w) * c, row1 = row0 + 2 * w * c
              for j in 0..<w {
                (row0 + 2 * j * c).update(from: src + j * c, count: c)
                (row0 + (2 * j + 1) * c).update(from: src + j * c, count: c)
              }
              row1.update(from: row0, count: 2 * w * c)
            }
          }
        }
      }
    }
  }

  /// Gradient of `upsample2x`: each input element receives the sum of its 2×2 copies.
  public static func upsample2xBackward(_ dy: Tensor) -> Tensor {
    let n = dy.batch, h = dy.height / 2, w = dy.width / 2, c = dy.channels
    precondition(dy.height == 2 * h && dy.width == 2 * w, "upsample2x gradient needs even sizes, got \(dy.shape)")
    return Tensor(uninitialized: [n, h, w, c]) { out in
      Profiler.measure(.pool) {
        dy.data.withUnsafeBufferPointer { gb in
          let g = gb.baseAddress!, o = out.baseAddress!
          for nr in 0..<(n * h) {
            let r0 = g + (2 * nr) * (2 * w) * c, r1 = r0 + 2 * w * c
            for j in 0..<w {
              let d = o + (nr * w + j) * c
              let a = r0 + 2 * j * c, b = a + c, e = r1 + 2 * j * c, f = e + c
              for ch in 0..<c { d[ch] = (a[ch] + b[ch]) + (e[ch] + f[ch]) }
            }
          }
        }
      }
    }
  }

  /// out[n, i, j, c] = x[n, 2i, 2j, c] (slim's `subsample`: 1×1 max-pool, stride 2):
  /// [N,H,W,C] → [N,ceil(H/2),ceil(W/2),C].
  public static func subsample2x(_ x: Tensor) -> Tensor {
    let n = x.batch, h = x.height, w = x.width, c = x.channels
    let ho = (h + 1) / 2, wo = (w + 1) / 2
    return Tensor(uninitialized: [n, ho, wo, c]) { out in
      Profiler.measure(.pool) {
        x.data.withUnsafeBufferPointer { xb in
          let xp = xb.baseAddress!, o = out.baseAddress!
          for b in 0..<n {
            for i in 0..<ho {
              for j in 0..<wo {
                (o + ((b * ho + i) * wo + j) * c).update(from: xp + ((b * h + 2 * i) * w + 2 * j) * c, count: c)
              }
            }
          }
        }
      }
    }
  }

  /// Gradient of `subsample2x`: dOutput lands on the even positions of a zero [N,H,W,C].
  public static func subsample2xBackward(_ dy: Tensor, inputShape: [Int]) -> Tensor {
    let n = inputShape[0], h = inputShape[1], w = inputShape[2], c = inputShape[3]
    let ho = (h + 1) / 2, wo = (w + 1) / 2
    precondition(dy.shape == [n, ho, wo, c], "subsample2x gradient: expected [\(n), \(ho), \(wo), \(c)], got \(dy.shape)")
    var dx = Tensor(zeros: inputShape)
    Profiler.measure(.pool) {
      dx.data.withUnsafeMutableBufferPointer { db in
        dy.data.withUnsafeBufferPointer { gb in
          let d = db.baseAddress!, g = gb.baseAddress!
          for b in 0..<n {
            for i in 0..<ho {
              for j in 0..<wo {
                (d + ((b * h + 2 * i) * w + 2 * j) * c).update(from: g + ((b * ho + i) * wo + j) * c, count: c)
              }
            }
          }
        }
      }
    }
    return dx
  }

  /// a + b, element-wise (same shapes); reuses `a`'s storage when uniquely held.
  public static func add(_ a: consuming Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
    var out = consume a
    Profiler.measure(.activation) {
      out.data.withUnsafeMutableBufferPointer { ob in
        b.data.withUnsafeBufferPointer { bb in
          let o = ob.baseAddress!, p = bb.baseAddress!
          Parallel.forEachChunk(count: ob.count, minChunk: 65_536) { _, part in
            for i in part { o[i] += p[i] }
          }
        }
      }
    }
    return out
  }
}
