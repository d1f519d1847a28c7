import Config
import Data
import Evaluation
import Worker

/// The COCO ground truth and results an evaluation scores (spec §9.1).
///
/// Default (`.fromRecords`), as the recipe's evaluator rebuilds it from the eval TFRecords:
/// - image id = `int32(string_to_hash_bucket_fast(source_id, 2^31))` (`FarmHash`);
/// - boxes = normalized record boxes × decoded [H, W] in float32, COCO `[x, y, w, h]`
///   from those float32 values; `area` = float32 box area in pixels (not the mask area);
/// - `iscrowd` from `image/object/is_crowd`; at most `maxBoxes` (100) boxes per image;
/// - categories = the label map's entries (or ids 1...numClasses without a label map).
///
/// With an `instances_*.json` (`.fromInstances`), that file is the ground truth and the
/// image id is the COCO id, read from `source_id` as a decimal number.
public enum EvaluationGroundTruth {
  public enum Source {
    case fromRecords(categories: [COCOCategory], maxBoxes: Int)
    case fromInstances(COCO)
  }

  /// Image id of a record with `sourceId`.
  public static func imageID(sourceId: String, source: Source) throws -> Int {
    switch source {
    case .fromRecords:
      return COCOImage.hashedID(sourceID: sourceId)
    case .fromInstances:
      guard let id = Int(sourceId) else {
        throw EvaluationInputError(message: "image/source_id '\(sourceId)' is not a decimal COCO image id, so it "
                                     + "cannot be matched to the instances JSON; evaluate without --eval_annotations")
      }
      return id
    }
  }

  /// Builds (ground truth, detections) for `images`.
  public static func build(_ images: [EvaluatedImage], source: Source) throws -> (COCO, [COCODetection]) {
    let gt: COCO
    switch source {
    case .fromInstances(let coco):
      gt = coco
    case .fromRecords(let categories, let maxBoxes):
      var cocoImages: [COCOImage] = []
      var annotations: [COCOAnnotation] = []
      var seen = Set<Int>()
      for image in images {
        let id = try imageID(sourceId: image.info.sourceId, source: source)
        guard seen.insert(id).inserted else {
          throw EvaluationInputError(message: "two evaluation records have source_id hashing to image id \(id) "
                                       + "(source_id '\(image.info.sourceId)'); source ids must be unique")
        }
        let h = image.info.decodedHeight, w = image.info.decodedWidth
        cocoImages.append(COCOImage(id: id, width: w, height: h, fileName: image.info.filename))
        let g = image.groundTruth
        let crowd = image.info.isCrowd.count == g.count ? image.info.isCrowd : [Bool](repeating: false, count: g.count)
        for k in 0..<min(g.count, maxBoxes) {
          let b = g.boxes[k]
          let fh = Float(h), fw = Float(w)
          let ymin = b.ymin * fh, xmin = b.xmin * fw, ymax = b.ymax * fh, xmax = b.xmax * fw
          let bw = xmax - xmin, bh = ymax - ymin
          annotations.append(COCOAnnotation(
            id: annotations.count + 1, imageID: id, categoryID: Int(g.classes[k]),
            bbox: COCOBox(x: Double(xmin), y: Double(ymin), width: Double(bw), height: Double(bh)),
            area: Double(bw * bh), isCrowd: crowd[k]))
        }
      }
      gt = COCO(images: cocoImages, annotations: annotations, categories: categories)
    }
    let valid = Set(gt.categoryIDs)
    var detections: [COCODetection] = []
    for image in images {
      let id = try imageID(sourceId: image.info.sourceId, source: source)
      let d = image.detections
      for r in 0..<d.count {
        let category = d.classes[r] + 1
        guard valid.contains(category) else { continue }  // unused slots dropped after the top-100 cut
        detections.append(COCODetection(
          imageID: id, categoryID: category,
          normalizedBox: (d.boxes[4 * r], d.boxes[4 * r + 1], d.boxes[4 * r + 2], d.boxes[4 * r + 3]),
          imageHeight: image.info.decodedHeight, imageWidth: image.info.decodedWidth, score: d.scores[r]))
      }
    }
    return (gt, detections)
  }

  /// COCO categories of a label map, ascending id (display name as the COCO name).
  public static func categories(labelMap: LabelMap?, numClasses: Int) -> [COCOCategory] {
    guard let labelMap else { return (1...numClasses).map { COCOCategory(id: $0, name: "class_\($0)") } }
    return labelMap.items.sorted { $0.id < $1.id }.map { COCOCategory(id: $0.id, name: $0.displayName ?? $0.name) }
  }
}

/// The evaluation input cannot be scored as asked; says what to change.
public struct EvaluationInputError: Error, CustomStringConvertible {
  public var message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}
