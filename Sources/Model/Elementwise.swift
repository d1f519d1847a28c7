/// Small element-wise kernels on raw NHWC buffers viewed as [rows, channels].
public enum Elementwise {
  /// out[r, c] += v[c].
  public static func addChannelVector(_ v: UnsafePointer<Float>, to out: UnsafeMutablePointer<Float>,
                                      rows: Int, channels: Int) {
    Parallel.forEachChunk(count: rows, minChunk: max(1, 16_384 / max(channels, 1))) { _, part in
      for r in part {
        let o = out + r * channels
        for c in 0..<channels { o[c] += v[c] }
      }
    }
  }

  /// sums[c] += Σ_r m[r, c], accumulated per chunk in Float then added in Double order-stable.
  public static func addColumnSums(of m: UnsafePointer<Float>, rows: Int, channels: Int,
                                   into sums: UnsafeMutablePointer<Float>) {
    var total = [Double](repeating: 0, count: channels)
    var partial = [Float](repeating: 0, count: channels)
    var r = 0
    while r < rows {
      let r1 = min(rows, r + 256)
      for c in 0..<channels { partial[c] = 0 }
      partial.withUnsafeMutableBufferPointer { p in
        for i in r..<r1 {
          let row = m + i * channels
          for c in 0..<channels { p[c] += row[c] }
        }
      }
      for c in 0..<channels { total[c] += Double(partial[c]) }
      r = r1
    }
    for c in 0..<channels { sums[c] += Float(total[c]) }
  }
}
