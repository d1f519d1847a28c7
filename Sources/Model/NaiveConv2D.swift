/// Direct (loop-nest) convolution: the reference the im2col + GEMM `Conv2D` is tested
/// against. Double accumulation; slow; any kernel size, stride and `ConvPadding`.
public enum NaiveConv2D {
  /// y[n, oy, ox, co] = Σ_{i,j,ci} x[n, oy·s−pt+i, ox·s−pl+j, ci] · w[i, j, ci, co] (+ b[co]),
  /// out-of-range input taps being zero. x [N,H,W,Cin], w [k,k,Cin,Cout] → [N,Ho,Wo,Cout].
  public static func forward(_ s: ConvShape, x: [Float], w: [Float], b: [Float]?) -> [Float] {
    var y = [Float](repeating: 0, count: s.rows * s.outChannels)
    for n in 0..<s.batch {
      for oy in 0..<s.outHeight {
        for ox in 0..<s.outWidth {
          for co in 0..<s.outChannels {
            var acc: Double = b.map { Double($0[co]) } ?? 0
            for i in 0..<s.kernelHeight {
              let iy = oy * s.stride - s.padTop + i
              if iy < 0 || iy >= s.inHeight { continue }
              for j in 0..<s.kernelWidth {
                let ix = ox * s.stride - s.padLeft + j
                if ix < 0 || ix >= s.inWidth { continue }
                for ci in 0..<s.inChannels {
                  let xv = x[((n * s.inHeight + iy) * s.inWidth + ix) * s.inChannels + ci]
                  let wv = w[((i * s.kernelWidth + j) * s.inChannels + ci) * s.outChannels + co]
                  acc += Double(xv) * Double(wv)
                }
              }
            }
            y[((n * s.outHeight + oy) * s.outWidth + ox) * s.outChannels + co] = Float(acc)
          }
        }
      }
    }
    return y
  }

  /// Gradients of `forward` given dy [N,Ho,Wo,Cout]: (dx, dw, db).
  public static func backward(_ s: ConvShape, x: [Float], w: [Float], dy: [Float])
    -> (dx: [Float], dw: [Float], db: [Float]) {
    var dx = [Double](repeating: 0, count: x.count)
    var dw = [Double](repeating: 0, count: w.count)
    var db = [Double](repeating: 0, count: s.outChannels)
    for n in 0..<s.batch {
      for oy in 0..<s.outHeight {
        for ox in 0..<s.outWidth {
          for co in 0..<s.outChannels {
            let g = Double(dy[((n * s.outHeight + oy) * s.outWidth + ox) * s.outChannels + co])
            db[co] += g
            for i in 0..<s.kernelHeight {
              let iy = oy * s.stride - s.padTop + i
              if iy < 0 || iy >= s.inHeight { continue }
              for j in 0..<s.kernelWidth {
                let ix = ox * s.stride - s.padLeft + j
                if ix < 0 || ix >= s.inWidth { continue }
                for ci in 0..<s.inChannels {
                  let xi = ((n * s.inHeight + iy) * s.inWidth + ix) * s.inChannels + ci
                  let wi = ((i * s.kernelWidth + j) * s.inChannels + ci) * s.outChannels + co
                  dx[xi] += g * Double(w[wi])
                  dw[wi] += g * Double(x[xi])
                }
              }
            }
          }
        }
      }
    }
    return (dx.map { Float($0) }, dw.map { Float($0) }, db.map { Float($0) })
  }
}
