import Data
import Evaluation
import Inference

/// The recipe's `Detections_Left_Groundtruth_Right` picture (`VisualizeSingleFrameDetections`
/// in the Object Detection API): the evaluation image twice, side by side — on the left the
/// model's detections (box, "name 0.87"), on the right the ground truth (box, name).
///
/// As the recipe draws it: at most `maxBoxes` detections (`eval_config.max_num_boxes_to_visualize`,
/// default 20), highest score first, those with score ≥ `minScore`
/// (`eval_config.min_score_threshold`, default 0.5); every ground-truth box. Names come from
/// the label map (`categories`); an id it lacks is drawn as `id N`. Labels are drawn with the
/// built-in ASCII font, so any text — markup, quotes, newlines, non-ASCII — is only pixels
/// (characters outside printable ASCII show as `?`).
public struct SideBySideDetections {
  public var maxBoxes: Int
  public var minScore: Float
  public var categories: [Int: String]

  public init(categories: [Int: String], maxBoxes: Int = 20, minScore: Float = 0.5) {
    self.categories = categories
    self.maxBoxes = max(0, maxBoxes)
    self.minScore = minScore
  }

  /// One ground-truth object in pixels of the image.
  public struct GroundTruthObject: Equatable, Sendable {
    public var categoryID: Int
    public var bbox: COCOBox
    public init(categoryID: Int, bbox: COCOBox) {
      self.categoryID = categoryID
      self.bbox = bbox
    }
  }

  /// Ground truth as read from a record (normalized [ymin, xmin, ymax, xmax]) in pixels of
  /// an image `height`×`width`.
  public static func groundTruthObjects(_ gt: GroundTruth, height: Int, width: Int) -> [GroundTruthObject] {
    (0..<gt.count).map { i in
      let b = gt.boxes[i]
      let h = Double(height), w = Double(width)
      return GroundTruthObject(categoryID: Int(gt.classes[i]),
                               bbox: COCOBox(x: Double(b.xmin) * w, y: Double(b.ymin) * h,
                                             width: Double(b.xmax - b.xmin) * w, height: Double(b.ymax - b.ymin) * h))
    }
  }

  /// The detections that are drawn, in drawing priority (highest score first).
  public func shownDetections(_ detections: [DetectedObject]) -> [DetectedObject] {
    let kept = detections.filter { $0.score >= minScore && $0.score.isFinite && Self.isDrawable($0.bbox) }
    return Array(kept.sorted { $0.score > $1.score }.prefix(maxBoxes))
  }

  /// The picture: `image.width * 2` wide, `image.height` high.
  public func render(image: RGBImage, detections: [DetectedObject], groundTruth: [GroundTruthObject]) -> RGBImage {
    let painter = BoxPainter(imageHeight: image.height, imageWidth: image.width)
    var left = image
    let shown = shownDetections(detections).map { d -> DetectedObject in
      var named = d
      named.categoryName = name(d.categoryID)
      return named
    }
    painter.draw(shown, on: &left)
    var right = image
    for object in groundTruth.reversed() where Self.isDrawable(object.bbox) {
      drawGroundTruth(object, painter: painter, on: &right)
    }
    return Self.concatenated(left, right)
  }

  func name(_ id: Int) -> String { categories[id] ?? "id \(id)" }

  /// A ground-truth box with its name above it (no score), in the class colour.
  func drawGroundTruth(_ object: GroundTruthObject, painter: BoxPainter, on image: inout RGBImage) {
    let color = BoxPainter.color(category: object.categoryID)
    let (x0, y0, x1, y1) = Self.pixelCorners(object.bbox)
    painter.rectangleOutline(x0: x0, y0: y0, x1: x1, y1: y1, color: color, on: &image)
    let label = name(object.categoryID)
    let size = BitmapFont.size(of: label, scale: painter.textScale)
    let pad = painter.textScale, boxHeight = size.height + 2 * pad
    let top = y0 - boxHeight >= 0 ? y0 - boxHeight : max(0, y0)
    let leftEdge = max(0, min(x0, image.width - size.width - 2 * pad))
    painter.fill(x0: leftEdge, y0: top, x1: leftEdge + size.width + 2 * pad - 1, y1: top + boxHeight - 1, color: color, on: &image)
    let luma = 299 * Int(color.0) + 587 * Int(color.1) + 114 * Int(color.2)
    let ink: (UInt8, UInt8, UInt8) = luma > 128_000 ? (0, 0, 0) : (255, 255, 255)
    painter.text(label, x: leftEdge + pad, y: top + pad, color: ink, on: &image)
  }

  /// Boxes with a NaN or huge coordinate are not drawn (pixel positions must fit an Int).
  static func isDrawable(_ b: COCOBox) -> Bool {
    [b.x, b.y, b.width, b.height].allSatisfy { $0.isFinite && abs($0) < 1e7 }
  }

  /// Inclusive pixel corners of a box, as `BoxPainter` rounds them.
  static func pixelCorners(_ b: COCOBox) -> (Int, Int, Int, Int) {
    (Int(b.x.rounded(.down)), Int(b.y.rounded(.down)),
     Int((b.x + b.width).rounded(.up)) - 1, Int((b.y + b.height).rounded(.up)) - 1)
  }

  /// `a` and `b` (same height) next to each other.
  static func concatenated(_ a: RGBImage, _ b: RGBImage) -> RGBImage {
    precondition(a.height == b.height, "side-by-side images need the same height, got \(a.height) and \(b.height)")
    let h = a.height, rowA = a.width * 3, rowB = b.width * 3
    var pixels = [UInt8](repeating: 0, count: h * (rowA + rowB))
    pixels.withUnsafeMutableBufferPointer { out in
      a.pixels.withUnsafeBufferPointer { pa in
        b.pixels.withUnsafeBufferPointer { pb in
          for y in 0..<h {
            let o = y * (rowA + rowB)
            for i in 0..<rowA { out[o + i] = pa[y * rowA + i] }
            for i in 0..<rowB { out[o + rowA + i] = pb[y * rowB + i] }
          }
        }
      }
    }
    return RGBImage(height: h, width: a.width + b.width, pixels: pixels)
  }
}
