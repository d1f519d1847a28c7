/// The boxes greedy NMS has kept so far for one class, in structure-of-arrays form
/// (corners reordered to (min, max), area), so testing a candidate against all of them is
/// one branch-free, vectorizable loop. Same formula and operation order as
/// `NonMaxSuppression.iou`, so the same bits.
struct KeptBoxes {
  private var y0: [Float] = [], x0: [Float] = [], y1: [Float] = [], x1: [Float] = [], area: [Float] = []
  let iouThreshold: Float

  init(capacity: Int, iouThreshold: Float) {
    self.iouThreshold = iouThreshold
    y0.reserveCapacity(capacity); x0.reserveCapacity(capacity); y1.reserveCapacity(capacity)
    x1.reserveCapacity(capacity); area.reserveCapacity(capacity)
  }

  var count: Int { y0.count }

  mutating func removeAll() {
    y0.removeAll(keepingCapacity: true); x0.removeAll(keepingCapacity: true); y1.removeAll(keepingCapacity: true)
    x1.removeAll(keepingCapacity: true); area.removeAll(keepingCapacity: true)
  }

  /// Keeps box `b` ([y1, x1, y2, x2], any corner order) unless its IoU with a kept box is
  /// above the threshold; returns whether it was kept.
  @inline(__always)
  mutating func keepUnlessSuppressed(_ b: UnsafePointer<Float>) -> Bool {
    let cy0 = min(b[0], b[2]), cx0 = min(b[1], b[3]), cy1 = max(b[0], b[2]), cx1 = max(b[1], b[3])
    let ca = (cy1 - cy0) * (cx1 - cx0)
    let m = count, thr = iouThreshold
    if m > 0 {
      var hit: Int32 = 0
      y0.withUnsafeBufferPointer { ay0 in x0.withUnsafeBufferPointer { ax0 in
        y1.withUnsafeBufferPointer { ay1 in x1.withUnsafeBufferPointer { ax1 in
          area.withUnsafeBufferPointer { ar in
            for j in 0..<m {
              let ih = max(min(cy1, ay1[j]) - max(cy0, ay0[j]), 0)
              let iw = max(min(cx1, ax1[j]) - max(cx0, ax0[j]), 0)
              let inter = ih * iw
              let q = inter / (ca + ar[j] - inter)
              let v: Float = ca > 0 && ar[j] > 0 ? q : 0
              hit |= v > thr ? 1 : 0
            }
          }
        } }
      } }
      if hit != 0 { return false }
    }
    y0.append(cy0); x0.append(cx0); y1.append(cy1); x1.append(cx1); area.append(ca)
    return true
  }
}
