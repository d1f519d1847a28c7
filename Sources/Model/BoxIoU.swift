/// Intersection over union of `[ymin, xmin, ymax, xmax]` boxes, as the Object Detection
/// API's `box_list_ops.iou` computes it in float32 (used for anchor matching):
/// ```
/// inter = max(0, min(ymax) − max(ymin)) · max(0, min(xmax) − max(xmin))
/// iou   = inter == 0 ? 0 : inter / (area_a + area_b − inter),  area = (ymax−ymin)·(xmax−xmin)
/// ```
/// Zero-area (padding) boxes therefore give exactly 0, never NaN. Coordinates are not
/// reordered (that is the NMS variant, `NonMaxSuppression.iou`).
public enum BoxIoU {
  /// IoU of two boxes given as 4-float pointers.
  @inline(__always)
  public static func iou(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
    let ih = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    let iw = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    let inter = ih * iw
    if inter == 0 { return 0 }
    let areaA = (a[2] - a[0]) * (a[3] - a[1])
    let areaB = (b[2] - b[0]) * (b[3] - b[1])
    return inter / (areaA + areaB - inter)
  }

  /// IoU of one box against `count` boxes (`[count, 4]` flat), written to `out[0..<count]`.
  /// The loop body is branch-free so the compiler can vectorize it.
  public static func row(box: UnsafePointer<Float>, against boxes: UnsafePointer<Float>, count: Int,
                         into out: UnsafeMutablePointer<Float>) {
    let y0 = box[0], x0 = box[1], y1 = box[2], x1 = box[3]
    let area = (y1 - y0) * (x1 - x0)
    for j in 0..<count {
      let b = boxes + 4 * j
      let by0 = b[0], bx0 = b[1], by1 = b[2], bx1 = b[3]
      let ih = max(0, min(y1, by1) - max(y0, by0))
      let iw = max(0, min(x1, bx1) - max(x0, bx0))
      let inter = ih * iw
      let union = area + (by1 - by0) * (bx1 - bx0) - inter
      let q = inter / union
      out[j] = inter == 0 ? 0 : q
    }
  }

  /// Full matrix `[a.count/4, b.count/4]` row-major (reference and small cases).
  public static func matrix(_ a: [Float], _ b: [Float]) -> [Float] {
    let n = a.count / 4, m = b.count / 4
    var out = [Float](repeating: 0, count: n * m)
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        out.withUnsafeMutableBufferPointer { o in
          for i in 0..<n {
            for j in 0..<m { o[i * m + j] = iou(pa.baseAddress! + 4 * i, pb.baseAddress! + 4 * j) }
          }
        }
      }
    }
    return out
  }
}
