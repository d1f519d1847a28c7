/// One detection in COCO results format: `{image_id, category_id, bbox: [x, y, w, h], score}`.
///
/// The evaluator gives it what pycocotools' `loadRes` adds: `id` = position in the results
/// list + 1, `area` = `bbox.width * bbox.height`, `iscrowd` = 0.
public struct COCODetection: Sendable, Equatable {
  public var imageID: Int
  public var categoryID: Int
  public var bbox: COCOBox
  public var score: Double

  public init(imageID: Int, categoryID: Int, bbox: COCOBox, score: Double) {
    self.imageID = imageID
    self.categoryID = categoryID
    self.bbox = bbox
    self.score = score
  }

  /// A detection from the model's normalized output (spec §8.7), as the TF Object Detection
  /// API's `coco_tools.ExportSingleImageDetectionBoxesToCoco` converts it.
  ///
  /// `box` is `[ymin, xmin, ymax, xmax]` in [0, 1] (float32). Absolute coordinates are
  /// `Float(v) * Float(H or W)` in float32; the COCO box is `[xmin, ymin, xmax - xmin,
  /// ymax - ymin]` with the subtractions in float32, then widened to float64; `score` is
  /// widened likewise. `categoryID` is the COCO id (model class column + 1).
  public init(imageID: Int, categoryID: Int, normalizedBox box: (ymin: Float, xmin: Float, ymax: Float, xmax: Float),
              imageHeight: Int, imageWidth: Int, score: Float) {
    let h = Float(imageHeight), w = Float(imageWidth)
    let ymin = box.ymin * h, xmin = box.xmin * w, ymax = box.ymax * h, xmax = box.xmax * w
    self.init(imageID: imageID, categoryID: categoryID,
              bbox: COCOBox(x: Double(xmin), y: Double(ymin), width: Double(xmax - xmin), height: Double(ymax - ymin)),
              score: Double(score))
  }
}
