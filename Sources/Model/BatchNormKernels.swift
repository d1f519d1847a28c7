/// The memory-bound loops of `BatchNorm` on raw [rows, channels] buffers, written so the
/// compiler vectorizes them: one generic body per activation (specialized at compile time),
/// rows split over `Parallel.threads`, Float partial sums per 64 rows flushed into Double.
enum BatchNormKernels {
  /// What an activation contributes to the loops: its value and its 0/1 mask from the output.
  protocol Act {
    static func apply(_ v: Float) -> Float
    static func mask(_ y: Float) -> Float
  }
  enum Linear: Act {
    @inline(__always) static func apply(_ v: Float) -> Float { v }
    @inline(__always) static func mask(_ y: Float) -> Float { 1 }
  }
  enum ReLU: Act {
    @inline(__always) static func apply(_ v: Float) -> Float { v > 0 ? v : 0 }
    @inline(__always) static func mask(_ y: Float) -> Float { y > 0 ? 1 : 0 }
  }
  enum ReLU6: Act {
    @inline(__always) static func apply(_ v: Float) -> Float { let p = v > 0 ? v : 0; return p < 6 ? p : 6 }
    @inline(__always) static func mask(_ y: Float) -> Float { (y > 0 && y < 6) ? 1 : 0 }
  }

  static func minChunk(_ c: Int) -> Int { max(1, 65_536 / c) }

  /// Per-channel mean and biased variance in one pass, shifted by the first row (pivot)
  /// so the sum of squares does not cancel.
  static func moments(_ x: UnsafePointer<Float>, rows: Int, channels c: Int) -> (mean: [Double], variance: [Double]) {
    let (s1, s2) = pairedSums(rows: rows, channels: c) { rr, a1, a2 in
      let row = x + rr * c
      for i in 0..<c {
        let d = row[i] - x[i]
        a1[i] += d
        a2[i] += d * d
      }
    }
    var mean = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
    let n = Double(rows)
    for i in 0..<c {
      let m = s1[i] / n
      mean[i] = Double(x[i]) + m
      variance[i] = max(s2[i] / n - m * m, 0)
    }
    return (mean, variance)
  }

  /// Two per-channel sums over all rows, for `moments` and `backwardSums`:
  /// `accumulate(row, a1, a2)` adds one row's two terms per channel into `a1`/`a2`. Rows
  /// are summed in float over blocks of 64, blocks in double per chunk of rows (chunks in
  /// parallel), and chunks in chunk order, so the result does not depend on timing.
  @inline(__always)
  static func pairedSums(rows: Int, channels c: Int,
                         _ accumulate: (_ row: Int, _ a1: UnsafeMutablePointer<Float>, _ a2: UnsafeMutablePointer<Float>) -> Void)
    -> (s1: [Double], s2: [Double]) {
    let chunks = Parallel.chunkCount(count: rows, minChunk: minChunk(c))
    var totals = [Double](repeating: 0, count: chunks * 2 * c)
    totals.withUnsafeMutableBufferPointer { tb in
      let tp = tb.baseAddress!
      Parallel.forEachChunk(count: rows, minChunk: minChunk(c)) { t, part in
        let t1 = tp + t * 2 * c, t2 = t1 + c
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: 2 * c)
        defer { acc.deallocate() }
        let a1 = acc, a2 = acc + c
        var r = part.lowerBound
        while r < part.upperBound {
          let r1 = min(part.upperBound, r + 64)
          acc.update(repeating: 0, count: 2 * c)
          for rr in r..<r1 { accumulate(rr, a1, a2) }
          for i in 0..<c { t1[i] += Double(a1[i]); t2[i] += Double(a2[i]) }
          r = r1
        }
      }
    }
    var s1 = [Double](repeating: 0, count: c), s2 = [Double](repeating: 0, count: c)
    for t in 0..<chunks {
      for i in 0..<c { s1[i] += totals[t * 2 * c + i]; s2[i] += totals[t * 2 * c + c + i] }
    }
    return (s1, s2)
  }

  /// out = act(x·scale + shift (+ residual)).
  static func apply(_ activation: Activation, x: UnsafePointer<Float>, residual: UnsafePointer<Float>?,
                    out: UnsafeMutablePointer<Float>, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>,
                    rows: Int, channels c: Int) {
    switch activation {
    case .none: apply(Linear.self, x, residual, out, scale, shift, rows, c)
    case .relu: apply(ReLU.self, x, residual, out, scale, shift, rows, c)
    case .relu6: apply(ReLU6.self, x, residual, out, scale, shift, rows, c)
    }
  }

  static func apply<A: Act>(_: A.Type, _ x: UnsafePointer<Float>, _ residual: UnsafePointer<Float>?,
                            _ out: UnsafeMutablePointer<Float>, _ s: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ rows: Int, _ c: Int) {
    Parallel.forEachChunk(count: rows, minChunk: minChunk(c)) { _, part in
      if let res = residual {
        for r in part {
          let o = out + r * c, xr = x + r * c, rr = res + r * c
          for i in 0..<c { o[i] = A.apply(xr[i] * s[i] + b[i] + rr[i]) }
        }
      } else {
        for r in part {
          let o = out + r * c, xr = x + r * c
          for i in 0..<c { o[i] = A.apply(xr[i] * s[i] + b[i]) }
        }
      }
    }
  }

  /// Σ dz and Σ dz·(x − μ) per channel, dz = dy·mask(y).
  static func backwardSums(_ activation: Activation, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                           x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                           rows: Int, channels c: Int) -> (sumDz: [Double], sumDzX: [Double]) {
    switch activation {
    case .none: return backwardSums(Linear.self, dy, y, x, mean, rows, c)
    case .relu: return backwardSums(ReLU.self, dy, y, x, mean, rows, c)
    case .relu6: return backwardSums(ReLU6.self, dy, y, x, mean, rows, c)
    }
  }

  static func backwardSums<A: Act>(_: A.Type, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                   _ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                   _ rows: Int, _ c: Int) -> (sumDz: [Double], sumDzX: [Double]) {
    let (s1, s2) = pairedSums(rows: rows, channels: c) { rr, a1, a2 in
      let g = dy + rr * c, yr = y + rr * c, xr = x + rr * c
      for i in 0..<c {
        let dz = g[i] * A.mask(yr[i])
        a1[i] += dz
        a2[i] += dz * (xr[i] - m[i])
      }
    }
    return (s1, s2)
  }

  /// dx = a·dz + k·(x − μ) + b with dz = dy·mask(y); also stores dz when `dz` is given.
  /// `dx` may alias `dy`.
  static func backwardApply(_ activation: Activation, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                            x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                            a: UnsafePointer<Float>, k: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            dx: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>?,
                            rows: Int, channels c: Int) {
    switch activation {
    case .none: backwardApply(Linear.self, dy, y, x, mean, a, k, b, dx, dz, rows, c)
    case .relu: backwardApply(ReLU.self, dy, y, x, mean, a, k, b, dx, dz, rows, c)
    case .relu6: backwardApply(ReLU6.self, dy, y, x, mean, a, k, b, dx, dz, rows, c)
    }
  }

  static func backwardApply<A: Act>(_: A.Type, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                    _ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                    _ a: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                    _ dx: UnsafeMutablePointer<Float>, _ dz: UnsafeMutablePointer<Float>?,
                                    _ rows: Int, _ c: Int) {
    Parallel.forEachChunk(count: rows, minChunk: minChunk(c)) { _, part in
      for r in part {
        let g = dy + r * c, yr = y + r * c, xr = x + r * c, o = dx + r * c
        if let dz {
          let z = dz + r * c
          for i in 0..<c {
            let v = g[i] * A.mask(yr[i])
            z[i] = v
            o[i] = a[i] * v + k[i] * (xr[i] - m[i]) + b[i]
          }
        } else {
          for i in 0..<c {
            let v = g[i] * A.mask(yr[i])
            o[i] = a[i] * v + k[i] * (xr[i] - m[i]) + b[i]
          }
        }
      }
    }
  }
}
