import Evaluation
import Model

/// One detection of one image in absolute pixels of the original image, with its COCO
/// category id and name: what `ssd detect` writes and draws.
public struct DetectedObject: Equatable, Sendable {
  public var categoryID: Int
  public var categoryName: String
  public var score: Float
  /// COCO box `[x, y, width, height]` in pixels, computed as spec §8.7 (float32 products
  /// and differences, then widened).
  public var bbox: COCOBox

  public init(categoryID: Int, categoryName: String, score: Float, bbox: COCOBox) {
    self.categoryID = categoryID
    self.categoryName = categoryName
    self.score = score
    self.bbox = bbox
  }

  /// The reportable detections of one image (spec §8.6–8.7): the first `detections.count`
  /// rows (already the top `max_total_detections`), class column c → COCO id c + 1; ids
  /// absent from `categories` are dropped (after the top-k selection, as the recipe does)
  /// unless `categories` is nil; rows with score below `minimumScore` are dropped.
  /// - Parameters:
  ///   - categories: COCO id → name (the label map), or nil to keep every id, named "class N".
  public static func from(_ detections: Detections, imageHeight: Int, imageWidth: Int,
                          categories: [Int: String]?, minimumScore: Float) -> [DetectedObject] {
    var out: [DetectedObject] = []
    for i in 0..<detections.count {
      let score = detections.scores[i]
      guard score >= minimumScore else { continue }
      let id = detections.classes[i] + 1
      let name: String
      if let categories {
        guard let n = categories[id] else { continue }
        name = n
      } else {
        name = "class \(id)"
      }
      let b = detections.boxes[(4 * i)..<(4 * i + 4)].map { $0 }
      let coco = COCODetection(imageID: 0, categoryID: id, normalizedBox: (b[0], b[1], b[2], b[3]),
                               imageHeight: imageHeight, imageWidth: imageWidth, score: score)
      out.append(DetectedObject(categoryID: id, categoryName: name, score: score, bbox: coco.bbox))
    }
    return out
  }
}
