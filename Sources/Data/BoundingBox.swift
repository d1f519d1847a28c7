/// A box in normalized image coordinates, TensorFlow order [ymin, xmin, ymax, xmax]
/// (0 = top/left edge, 1 = bottom/right edge of the image it belongs to).
public struct BoundingBox: Equatable, Hashable, Sendable {
  public var ymin: Float
  public var xmin: Float
  public var ymax: Float
  public var xmax: Float

  public init(ymin: Float, xmin: Float, ymax: Float, xmax: Float) {
    self.ymin = ymin; self.xmin = xmin; self.ymax = ymax; self.xmax = xmax
  }

  /// True if any coordinate is NaN (such boxes are dropped before augmentation, §2.1).
  public var hasNaN: Bool { ymin.isNaN || xmin.isNaN || ymax.isNaN || xmax.isNaN }

  /// `(ymax − ymin)·(xmax − xmin)` in float32 (`box_list_ops.area`).
  public var area: Float { (ymax - ymin) * (xmax - xmin) }

  /// The four coordinates in TF order.
  public var coordinates: [Float] { [ymin, xmin, ymax, xmax] }
}
