/// The memory-bound loops of `BatchNorm` on raw [rows, channels] buffers: the C kernels of
/// `Kernels` (vectorized over channels for the CPU at hand) on row ranges split over
/// `Parallel.threads`. Sums are taken in float over blocks of 64 rows, blocks added in
/// double per chunk of rows, chunks in chunk order, so results do not depend on timing.
enum BatchNormKernels {
  static func minChunk(_ c: Int) -> Int { max(1, 65_536 / c) }

  /// Per-channel mean and biased variance in one pass, shifted by the first row (pivot)
  /// so the sum of squares does not cancel.
  static func moments(_ x: UnsafePointer<Float>, rows: Int, channels c: Int) -> (mean: [Double], variance: [Double]) {
    let (s1, s2) = pairedSums(rows: rows, channels: c) { part, t1, t2, acc in
      Kernels.batchNormMomentSums(x: x, pivot: x, rows: part, channels: c, t1: t1, t2: t2, acc: acc)
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
  /// `sum(rows, t1, t2, acc)` adds one chunk of rows into that chunk's double totals (`acc`:
  /// 2c floats of scratch). Chunks run in parallel and are added in chunk order.
  static func pairedSums(rows: Int, channels c: Int,
                         _ sum: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
                                 UnsafeMutablePointer<Float>) -> Void) -> (s1: [Double], s2: [Double]) {
    let chunks = Parallel.chunkCount(count: rows, minChunk: minChunk(c))
    var totals = [Double](repeating: 0, count: chunks * 2 * c)
    totals.withUnsafeMutableBufferPointer { tb in
      let tp = tb.baseAddress!
      Parallel.forEachChunk(count: rows, minChunk: minChunk(c)) { t, part in
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: 2 * c)
        defer { acc.deallocate() }
        sum(part, tp + t * 2 * c, tp + t * 2 * c + c, acc)
      }
    }
    var s1 = [Double](repeating: 0, count: c), s2 = [Double](repeating: 0, count: c)
    for t in 0..<chunks {
      for i in 0..<c { s1[i] += totals[t * 2 * c + i]; s2[i] += totals[t * 2 * c + c + i] }
    }
    return (s1, s2)
  }

  /// out = act(x·scale + shift (+ residual)); `out` may be `x`.
  static func apply(_ activation: Activation, x: UnsafePointer<Float>, residual: UnsafePointer<Float>?,
                    out: UnsafeMutablePointer<Float>, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>,
                    rows: Int, channels c: Int) {
    Parallel.forEachChunk(count: rows, minChunk: minChunk(c)) { _, part in
      Kernels.batchNormApply(activation, x: x, residual: residual, out: out, scale: scale, shift: shift,
                             rows: part, channels: c)
    }
  }

  /// Σ dz and Σ dz·(x − μ) per channel, dz = dy·mask(y) (the activation's 0/1 slope read
  /// from its output).
  static func backwardSums(_ activation: Activation, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                           x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                           rows: Int, channels c: Int) -> (sumDz: [Double], sumDzX: [Double]) {
    let (s1, s2) = pairedSums(rows: rows, channels: c) { part, t1, t2, acc in
      Kernels.batchNormBackwardSums(activation, dy: dy, y: y, x: x, mean: mean, rows: part, channels: c,
                                    t1: t1, t2: t2, acc: acc)
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
    Parallel.forEachChunk(count: rows, minChunk: minChunk(c)) { _, part in
      Kernels.batchNormBackwardApply(activation, dy: dy, y: y, x: x, mean: mean, a: a, k: k, b: b, dx: dx, dz: dz,
                                     rows: part, channels: c)
    }
  }
}
