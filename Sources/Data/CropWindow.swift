/// A crop on integer pixel boundaries: rows `y ..< y+height`, columns `x ..< x+width` of an
/// `imageHeight x imageWidth` image, plus the normalized window TF derives from it,
/// `[y/H, x/W, (y+h)/H, (x+w)/W]` in float32 (the `bboxes` output of
/// `sample_distorted_bounding_box`).
public struct CropWindow: Equatable, Sendable {
  public let y: Int, x: Int, height: Int, width: Int
  public let imageHeight: Int, imageWidth: Int

  public init(y: Int, x: Int, height: Int, width: Int, imageHeight: Int, imageWidth: Int) {
    precondition(y >= 0 && x >= 0 && height > 0 && width > 0
                   && y + height <= imageHeight && x + width <= imageWidth,
                 "crop [\(y), \(x), \(height), \(width)] outside \(imageHeight)x\(imageWidth)")
    self.y = y; self.x = x; self.height = height; self.width = width
    self.imageHeight = imageHeight; self.imageWidth = imageWidth
  }

  /// The whole image (what the sampler returns when no attempt succeeds).
  public static func whole(height: Int, width: Int) -> CropWindow {
    CropWindow(y: 0, x: 0, height: height, width: width, imageHeight: height, imageWidth: width)
  }

  public var normalized: BoundingBox {
    let h = Float(imageHeight), w = Float(imageWidth)
    return BoundingBox(ymin: Float(y) / h, xmin: Float(x) / w,
                       ymax: Float(y + height) / h, xmax: Float(x + width) / w)
  }
}
