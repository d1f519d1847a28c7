/// Batch normalization over N·H·W per channel of an NHWC tensor, with an optional fused
/// residual add and activation: `y = act(γ·(x − μ)/sqrt(σ² + ε) + β (+ residual))`.
///
/// Variables (`<scope>/gamma`, `beta`, `moving_mean`, `moving_variance`, each [C]; the
/// scope is `…/BatchNorm` or `…/BatchNorm/feature_f`). Training mode normalizes with the
/// batch mean and *biased* variance and moves the statistics TensorFlow's way,
/// `m −= (m − μ)·(1 − decay)`, `v −= (v − σ²·n/(n−1))·(1 − decay)`; inference mode uses the
/// moving statistics. Forward saves x, y (shared references: the next layer holds y anyway)
/// and per-channel μ, 1/sqrt(σ² + ε); backward adds dγ, dβ and returns dx (and, with a
/// residual, d(residual) = the gradient after the activation).
public final class BatchNorm {
  public let channels: Int
  public let epsilon: Float
  public let decay: Float
  public let activation: Activation
  public let gamma: Param, beta: Param, movingMean: Param, movingVariance: Param
  /// Batch statistics (true) or moving statistics (false).
  public var training = true

  private var input: Tensor?
  private var output: Tensor?
  private var mean: [Float] = []
  private var invStd: [Float] = []
  private var hadResidual = false
  private var wasTraining = true

  public init(scope: String, channels: Int, epsilon: Float, decay: Float = 0.997,
              activation: Activation, params: ParameterStore, rng: inout SplitMix64) {
    self.channels = channels; self.epsilon = epsilon; self.decay = decay; self.activation = activation
    gamma = params.add(name: scope + "/gamma", shape: [channels], initializer: .constant(1), rng: &rng)
    beta = params.add(name: scope + "/beta", shape: [channels], initializer: .constant(0), rng: &rng)
    movingMean = params.add(name: scope + "/moving_mean", shape: [channels], trainable: false,
                            initializer: .constant(0), rng: &rng)
    movingVariance = params.add(name: scope + "/moving_variance", shape: [channels], trainable: false,
                                initializer: .constant(1), rng: &rng)
  }

  /// Normalizes `x` [N, H, W, C]; adds `residual` (same shape) before the activation.
  public func forward(_ x: Tensor, residual: Tensor? = nil, params: ParameterStore) -> Tensor {
    precondition(x.rank == 4 && x.channels == channels, "BatchNorm expects [N, H, W, \(channels)], got \(x.shape)")
    if let residual { precondition(residual.shape == x.shape, "residual \(residual.shape) vs input \(x.shape)") }
    let rows = x.count / channels, c = channels
    var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
    Profiler.measure(.batchNorm) {
      if training {
        let (m, v) = x.data.withUnsafeBufferPointer { BatchNorm.moments($0.baseAddress!, rows: rows, channels: c) }
        mean = m.map { Float($0) }
        invStd = v.map { 1 / (Float($0) + epsilon).squareRoot() }
        // Moving statistics, Bessel-corrected variance.
        let n = Double(rows)
        let correction = rows > 1 ? n / (n - 1) : 1
        params.states.withUnsafeMutableBufferPointer { st in
          let mm = st.baseAddress! + movingMean.offset, mv = st.baseAddress! + movingVariance.offset
          for i in 0..<c {
            mm[i] -= (mm[i] - mean[i]) * (1 - decay)
            mv[i] -= (mv[i] - Float(v[i] * correction)) * (1 - decay)
          }
        }
      } else {
        mean = params.read(movingMean)
        invStd = params.read(movingVariance).map { 1 / ($0 + epsilon).squareRoot() }
      }
      params.values.withUnsafeBufferPointer { p in
        for i in 0..<c {
          scale[i] = p[gamma.offset + i] * invStd[i]
          shift[i] = p[beta.offset + i] - mean[i] * scale[i]
        }
      }
    }
    let act = activation
    let y = Tensor(uninitialized: x.shape) { out in
      Profiler.measure(.batchNorm) {
        x.data.withUnsafeBufferPointer { xb in
          scale.withUnsafeBufferPointer { sc in
            shift.withUnsafeBufferPointer { sh in
              let xp = xb.baseAddress!, o = out.baseAddress!, s = sc.baseAddress!, b = sh.baseAddress!
              if let residual {
                residual.data.withUnsafeBufferPointer { rb in
                  let rp = rb.baseAddress!
                  Parallel.forEachChunk(count: rows, minChunk: max(1, 32_768 / c)) { _, part in
                    for r in part {
                      let off = r * c
                      for i in 0..<c { o[off + i] = act.apply(xp[off + i] * s[i] + b[i] + rp[off + i]) }
                    }
                  }
                }
              } else {
                Parallel.forEachChunk(count: rows, minChunk: max(1, 32_768 / c)) { _, part in
                  for r in part {
                    let off = r * c
                    switch act {
                    case .none: for i in 0..<c { o[off + i] = xp[off + i] * s[i] + b[i] }
                    case .relu: for i in 0..<c { o[off + i] = max(xp[off + i] * s[i] + b[i], 0) }
                    case .relu6: for i in 0..<c { o[off + i] = min(max(xp[off + i] * s[i] + b[i], 0), 6) }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    input = x
    output = y
    hadResidual = residual != nil
    wasTraining = training
    return y
  }

  /// Adds dγ, dβ; returns dx and (when forward had a residual) d(residual).
  public func backward(_ dy: consuming Tensor, params: ParameterStore) -> (dx: Tensor, dResidual: Tensor?) {
    guard let x = input, let y = output else { preconditionFailure("BatchNorm.backward called without forward") }
    precondition(dy.shape == x.shape, "BatchNorm.backward expects \(x.shape), got \(dy.shape)")
    input = nil; output = nil
    let rows = x.count / channels, c = channels, act = activation
    // Pass 1: dz = dy·act'(y) (kept in place of dy), Σdz and Σdz·(x − μ) per channel.
    var dResidual: Tensor? = nil
    var sumDz = [Double](repeating: 0, count: c), sumDzX = [Double](repeating: 0, count: c)
    Profiler.measure(.batchNorm) {
      let threads = Parallel.chunkCount(count: rows, minChunk: max(1, 32_768 / c))
      var partial = [Float](repeating: 0, count: threads * 2 * c)
      dy.data.withUnsafeMutableBufferPointer { db in
        x.data.withUnsafeBufferPointer { xb in
          y.data.withUnsafeBufferPointer { yb in
            mean.withUnsafeBufferPointer { mb in
              partial.withUnsafeMutableBufferPointer { pb in
                let d = db.baseAddress!, xp = xb.baseAddress!, yp = yb.baseAddress!, m = mb.baseAddress!
                let pp = pb.baseAddress!
                Parallel.forEachChunk(count: rows, minChunk: max(1, 32_768 / c)) { t, part in
                  let s1 = pp + t * 2 * c, s2 = s1 + c
                  // Float partials per 128 rows, flushed into the thread's running sums.
                  var b1 = [Float](repeating: 0, count: c), b2 = [Float](repeating: 0, count: c)
                  var acc1 = [Double](repeating: 0, count: c), acc2 = [Double](repeating: 0, count: c)
                  b1.withUnsafeMutableBufferPointer { q1 in
                    b2.withUnsafeMutableBufferPointer { q2 in
                      var r = part.lowerBound
                      while r < part.upperBound {
                        let r1 = min(part.upperBound, r + 128)
                        for i in 0..<c { q1[i] = 0; q2[i] = 0 }
                        for rr in r..<r1 {
                          let off = rr * c
                          if act != .none {
                            for i in 0..<c where !act.passes(yp[off + i]) { d[off + i] = 0 }
                          }
                          for i in 0..<c {
                            let g = d[off + i]
                            q1[i] += g
                            q2[i] += g * (xp[off + i] - m[i])
                          }
                        }
                        for i in 0..<c { acc1[i] += Double(q1[i]); acc2[i] += Double(q2[i]) }
                        r = r1
                      }
                    }
                  }
                  for i in 0..<c { s1[i] = Float(acc1[i]); s2[i] = Float(acc2[i]) }
                }
                for t in 0..<threads {
                  for i in 0..<c {
                    sumDz[i] += Double(pp[t * 2 * c + i]); sumDzX[i] += Double(pp[t * 2 * c + c + i])
                  }
                }
              }
            }
          }
        }
      }
      if hadResidual { dResidual = dy }  // shares storage until pass 2 writes dx (CoW copies once)
    }
    // Parameter gradients: dβ = Σdz, dγ = Σdz·x̂.
    params.gradients.withUnsafeMutableBufferPointer { g in
      for i in 0..<c {
        g[beta.offset + i] += Float(sumDz[i])
        g[gamma.offset + i] += Float(sumDzX[i] * Double(invStd[i]))
      }
    }
    // Pass 2: dx = a·dz + k·(x − μ) + b per channel.
    var a = [Float](repeating: 0, count: c), k = [Float](repeating: 0, count: c), b = [Float](repeating: 0, count: c)
    let gam = params.read(gamma)
    let n = Double(rows)
    for i in 0..<c {
      let gi = Double(gam[i]) * Double(invStd[i])
      a[i] = Float(gi)
      if wasTraining {
        let inv2 = Double(invStd[i]) * Double(invStd[i])
        k[i] = Float(-gi * inv2 * sumDzX[i] / n)
        b[i] = Float(-gi * sumDz[i] / n)
      }
    }
    var dx = consume dy
    Profiler.measure(.batchNorm) {
      dx.data.withUnsafeMutableBufferPointer { db in
        x.data.withUnsafeBufferPointer { xb in
          let d = db.baseAddress!, xp = xb.baseAddress!
          a.withUnsafeBufferPointer { ab in k.withUnsafeBufferPointer { kb in b.withUnsafeBufferPointer { bb in
            mean.withUnsafeBufferPointer { mb in
              let ap = ab.baseAddress!, kp = kb.baseAddress!, bp = bb.baseAddress!, m = mb.baseAddress!
              Parallel.forEachChunk(count: rows, minChunk: max(1, 32_768 / c)) { _, part in
                for r in part {
                  let off = r * c
                  for i in 0..<c { d[off + i] = ap[i] * d[off + i] + kp[i] * (xp[off + i] - m[i]) + bp[i] }
                }
              }
            }
          } } }
        }
      }
    }
    return (dx, dResidual)
  }

  /// Per-channel mean and biased variance (two passes, Double totals) of [rows, channels].
  static func moments(_ x: UnsafePointer<Float>, rows: Int, channels c: Int) -> ([Double], [Double]) {
    let sums = channelSums(rows: rows, channels: c) { r, acc in
      let row = x + r * c
      for i in 0..<c { acc[i] += row[i] }
    }
    let mean = sums.map { $0 / Double(rows) }
    let meanF = mean.map { Float($0) }
    let sq = meanF.withUnsafeBufferPointer { mb -> [Double] in
      let m = mb.baseAddress!
      return channelSums(rows: rows, channels: c) { r, acc in
        let row = x + r * c
        for i in 0..<c { let d = row[i] - m[i]; acc[i] += d * d }
      }
    }
    return (mean, sq.map { $0 / Double(rows) })
  }

  /// Σ over rows of what `add(row, acc)` adds into a [channels] Float accumulator; Float
  /// partials per 128 rows, Double totals, rows split over `Parallel.threads`.
  static func channelSums(rows: Int, channels c: Int,
                          _ add: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Double] {
    let threads = Parallel.chunkCount(count: rows, minChunk: max(1, 32_768 / c))
    var totals = [Double](repeating: 0, count: threads * c)
    totals.withUnsafeMutableBufferPointer { tb in
      let tp = tb.baseAddress!
      Parallel.forEachChunk(count: rows, minChunk: max(1, 32_768 / c)) { t, part in
        let tot = tp + t * c
        let acc = UnsafeMutablePointer<Float>.allocate(capacity: c)
        defer { acc.deallocate() }
        var r = part.lowerBound
        while r < part.upperBound {
          let r1 = min(part.upperBound, r + 128)
          acc.update(repeating: 0, count: c)
          for rr in r..<r1 { add(rr, acc) }
          for i in 0..<c { tot[i] += Double(acc[i]) }
          r = r1
        }
      }
    }
    var out = [Double](repeating: 0, count: c)
    for t in 0..<threads { for i in 0..<c { out[i] += totals[t * c + i] } }
    return out
  }
}
