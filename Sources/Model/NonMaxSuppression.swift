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

  /// The score stored in a candidate key (the inverse of `candidateKey`'s mapping).
  @inline(__always)
  public static func candidateScore(_ key: UInt64) -> Float {
    let ordered = UInt32(truncatingIfNeeded: key >> 32)
    return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered)
  }

  /// The box index stored in a candidate key.
  @inline(__always)
  public static func candidateIndex(_ key: UInt64) -> Int { Int(UInt32.max - UInt32(truncatingIfNeeded: key)) }

  /// Greedy selection over prepared candidate keys (already filtered by the score threshold),
  /// visited in descending key order (`DescendingKeys`: lazily, in batches, since only the
  /// best few hundred are usually needed before `maxOutput` boxes are kept).
  public static func select(boxes: UnsafePointer<Float>, keys: UnsafeBufferPointer<UInt64>, maxOutput: Int,
                            iouThreshold: Float, batchSize: Int = 256) -> [Int32] {
    if maxOutput <= 0 || keys.isEmpty { return [] }
    var kept: [Int32] = []
    kept.reserveCapacity(min(maxOutput, keys.count))
    var keptBoxes = KeptBoxes(capacity: min(maxOutput, keys.count), iouThreshold: iouThreshold)
    var order = DescendingKeys(keys, batchSize: batchSize)
    while let key = order.next() {
      let cand = candidateIndex(key)
      if keptBoxes.keepUnlessSuppressed(boxes + 4 * cand) {
        kept.append(Int32(cand))
        if kept.count == maxOutput { break }
      }
    }
    return kept
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
