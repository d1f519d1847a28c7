/// Greedy non-maximum suppression with TensorFlow's `non_max_suppression` semantics (spec §8):
/// candidates are boxes with score > `scoreThreshold` (strict); the highest-scoring remaining
/// candidate (equal scores: lower box index first) is kept unless its IoU with an already
/// kept box is > `iouThreshold` (strict); stop after `maxOutput` keeps.
///
/// IoU here is TensorFlow's NMS variant: coordinates are first reordered to (min, max), and
/// if either box has area ≤ 0 the IoU is 0 (so degenerate boxes never suppress or get
/// suppressed).
///
/// Worked example (threshold 0.6): boxes A=[0,0,1,1] 0.9, B=[0,0,1,0.6] 0.8 (IoU 0.6 exactly),
/// C=[0,0,1,0.9] 0.7 (IoU 0.9) → keep A, keep B (0.6 is not > 0.6), drop C → [A, B].
public enum NonMaxSuppression {
  /// TensorFlow's NMS IoU of two `[y1, x1, y2, x2]` boxes (any corner order).
  @inline(__always)
  public static func iou(_ i: UnsafePointer<Float>, _ j: UnsafePointer<Float>) -> Float {
    let yminI = min(i[0], i[2]), xminI = min(i[1], i[3]), ymaxI = max(i[0], i[2]), xmaxI = max(i[1], i[3])
    let yminJ = min(j[0], j[2]), xminJ = min(j[1], j[3]), ymaxJ = max(j[0], j[2]), xmaxJ = max(j[1], j[3])
    let areaI = (ymaxI - yminI) * (xmaxI - xminI)
    let areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ)
    if areaI <= 0 || areaJ <= 0 { return 0 }
    let ih = max(min(ymaxI, ymaxJ) - max(yminI, yminJ), 0)
    let iw = max(min(xmaxI, xmaxJ) - max(xminI, xminJ), 0)
    let inter = ih * iw
    return inter / (areaI + areaJ - inter)
  }

  /// Selection from a strided score column: filters by threshold, then
  /// `select(boxes:keys:...)`.
  ///
  /// - Parameters:
  ///   - boxes: `[count, 4]` flat.
  ///   - scores: score of box k at `scores[k · scoreStride]` (a column of an `[A, C]` matrix).
  /// - Returns: kept box indices in selection order (descending score).
  public static func select(boxes: UnsafePointer<Float>, scores: UnsafePointer<Float>, scoreStride: Int = 1,
                            count: Int, maxOutput: Int, iouThreshold: Float, scoreThreshold: Float) -> [Int32] {
    if maxOutput <= 0 || count == 0 { return [] }
    var keys = [UInt64]()
    keys.reserveCapacity(count)
    for k in 0..<count {
      let s = scores[k * scoreStride]
      if s > scoreThreshold { keys.append(candidateKey(score: s, index: k)) }
    }
    return keys.withUnsafeBufferPointer {
      select(boxes: boxes, keys: $0, maxOutput: maxOutput, iouThreshold: iouThreshold)
    }
  }

  /// One 64-bit key per candidate whose unsigned order is the selection order: the score's
  /// bits mapped to a monotone unsigned value in the high half, `UInt32.max − index` in the
  /// low half (equal scores → lower index first). Scores must not be NaN.
  @inline(__always)
  public static func candidateKey(score: Float, index: Int) -> UInt64 {
    let b = score.bitPattern
    let ordered = b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
    return UInt64(ordered) << 32 | UInt64(UInt32.max - UInt32(index))
  }

  /// The box index stored in a candidate key.
  @inline(__always)
  public static func candidateIndex(_ key: UInt64) -> Int { Int(UInt32.max - UInt32(truncatingIfNeeded: key)) }

  /// Greedy selection over prepared candidate keys (already filtered by the score threshold).
  ///
  /// Only the best few hundred candidates are usually needed before `maxOutput` boxes are
  /// kept, so instead of ordering all n keys this takes them in batches: a 4,096-bin
  /// histogram of the keys' top 12 bits (sign, exponent, 3 mantissa bits of the score)
  /// gives bin ranges holding ≥ `batchSize` candidates; each batch is gathered into a
  /// max-heap and consumed in order, then the next lower range. Batches partition the keys
  /// in descending order, so the visiting order is exactly the global (score desc, index
  /// asc) order.
  public static func select(boxes: UnsafePointer<Float>, keys: UnsafeBufferPointer<UInt64>, maxOutput: Int,
                            iouThreshold: Float, batchSize: Int = 256) -> [Int32] {
    let n = keys.count
    if maxOutput <= 0 || n == 0 { return [] }
    var kept: [Int32] = []
    kept.reserveCapacity(min(maxOutput, n))
    // Kept boxes in structure-of-arrays form (reordered corners, area) so the suppression
    // test against all of them is one branch-free, vectorizable loop. Same formula and
    // operation order as `iou(_:_:)`, so the same bits.
    let cap = min(maxOutput, n)
    var ky0 = [Float](repeating: 0, count: cap), kx0 = ky0, ky1 = ky0, kx1 = ky0, karea = ky0
    /// Visits candidates in order; returns false once maxOutput boxes are kept.
    @inline(__always) func visit(_ key: UInt64) -> Bool {
      let cand = candidateIndex(key)
      let b = boxes + 4 * cand
      let y0 = min(b[0], b[2]), x0 = min(b[1], b[3]), y1 = max(b[0], b[2]), x1 = max(b[1], b[3])
      let area = (y1 - y0) * (x1 - x0)
      let m = kept.count
      if m > 0 {
        var hit: Int32 = 0
        ky0.withUnsafeBufferPointer { ay0 in kx0.withUnsafeBufferPointer { ax0 in
          ky1.withUnsafeBufferPointer { ay1 in kx1.withUnsafeBufferPointer { ax1 in
            karea.withUnsafeBufferPointer { ar in
              for j in 0..<m {
                let ih = max(min(y1, ay1[j]) - max(y0, ay0[j]), 0)
                let iw = max(min(x1, ax1[j]) - max(x0, ax0[j]), 0)
                let inter = ih * iw
                let q = inter / (area + ar[j] - inter)
                let v: Float = area > 0 && ar[j] > 0 ? q : 0
                hit |= v > iouThreshold ? 1 : 0
              }
            }
          } }
        } }
        if hit != 0 { return true }
      }
      ky0[m] = y0; kx0[m] = x0; ky1[m] = y1; kx1[m] = x1; karea[m] = area
      kept.append(Int32(cand))
      return kept.count < maxOutput
    }
    if n <= 2 * batchSize {
      for key in keys.sorted(by: >) where !visit(key) { break }
      return kept
    }
    var hist = [Int32](repeating: 0, count: 4096)
    hist.withUnsafeMutableBufferPointer { h in
      for k in keys { h[Int(k >> 52)] += 1 }
    }
    var batch: [UInt64] = []
    batch.reserveCapacity(2 * batchSize)
    var hi = 4096
    while hi > 0 {
      var lo = hi, count = 0
      while lo > 0 && count < batchSize { lo -= 1; count += Int(hist[lo]) }
      batch.removeAll(keepingCapacity: true)
      let loBin = UInt64(lo), hiBin = UInt64(hi)
      for k in keys {
        let bin = k >> 52
        if bin >= loBin && bin < hiBin { batch.append(k) }
      }
      // A lazy max-heap instead of a full sort: when many candidates share a bin (scores
      // that agree in their top bits, e.g. an untrained network's), only the few that are
      // visited before maxOutput keeps pay the log n.
      var done = false
      batch.withUnsafeMutableBufferPointer { h in
        var count = h.count
        let p = h.baseAddress!
        for i in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(p, i, count) }
        while count > 0 {
          let top = p[0]
          count -= 1
          p[0] = p[count]
          siftDown(p, 0, count)
          if !visit(top) { done = true; return }
        }
      }
      if done { return kept }
      hi = lo
    }
    return kept
  }

  /// Restores the max-heap property below `i` in `h[0..<count]`.
  @inline(__always)
  static func siftDown(_ h: UnsafeMutablePointer<UInt64>, _ i: Int, _ count: Int) {
    var i = i
    let v = h[i]
    while true {
      var c = 2 * i + 1
      if c >= count { break }
      if c + 1 < count && h[c + 1] > h[c] { c += 1 }
      if h[c] <= v { break }
      h[i] = h[c]
      i = c
    }
    h[i] = v
  }

  /// Reference: sort all candidates by (score desc, index asc), then the greedy loop.
  public static func selectReference(boxes: [Float], scores: [Float], maxOutput: Int, iouThreshold: Float,
                                     scoreThreshold: Float) -> [Int32] {
    let order = scores.indices.filter { scores[$0] > scoreThreshold }
      .sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    var kept: [Int32] = []
    boxes.withUnsafeBufferPointer { b in
      for k in order where kept.count < maxOutput {
        if !kept.contains(where: { iou(b.baseAddress! + 4 * k, b.baseAddress! + 4 * Int($0)) > iouThreshold }) {
          kept.append(Int32(k))
        }
      }
    }
    return kept
  }
}
