/// An axis-aligned box in COCO's `[x, y, width, height]` layout, absolute pixels, float64.
///
/// `x`, `y` are the top-left corner. Nothing is validated: pycocotools accepts negative or
/// zero sizes too (such boxes simply never overlap anything).
public struct COCOBox: Sendable, Equatable, Hashable {
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double

  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// The box as `[x, y, width, height]`.
  public var array: [Double] { [x, y, width, height] }

  /// `width * height`: the `area` pycocotools' `loadRes` gives every bbox detection.
  public var area: Double { width * height }

  /// Intersection over union the way pycocotools' `maskApi.c` `bbIou` computes it.
  ///
  /// `self` is the detection, `groundTruth` the ground truth. The overlap is
  /// `w = min(dx + dw, gx + gw) - max(dx, gx)` (and likewise `h`); no overlap (`w <= 0` or
  /// `h <= 0`) gives 0. The union is `(dArea + gArea) - inter`, or just `dArea` when the
  /// ground truth is a crowd region. Every operation is one IEEE float64 op in the same
  /// order as the C code, so results are bit-identical.
  @inline(__always)
  public func iou(groundTruth g: COCOBox, groundTruthIsCrowd crowd: Bool) -> Double {
    // Double.minimum/maximum are C's fmin/fmax (a NaN operand yields the other one).
    let w = Double.minimum(width + x, g.width + g.x) - Double.maximum(x, g.x)
    if w <= 0 { return 0 }
    let h = Double.minimum(height + y, g.height + g.y) - Double.maximum(y, g.y)
    if h <= 0 { return 0 }
    let inter = w * h
    let dArea = width * height
    let union = crowd ? dArea : dArea + g.width * g.height - inter
    return inter / union
  }
}
