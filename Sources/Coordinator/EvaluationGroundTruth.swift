import Config
import Data
import Evaluation
import Wire

/// The COCO ground truth and results an evaluation scores (spec §9.1), from the evaluated
/// images a backend returns; the COCO rules themselves are the Evaluation module's.
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

  /// Builds (ground truth, detections) for `images`: the ground truth with
  /// `COCOGroundTruthBuilder` (the first `maxBoxes` boxes of each image), the detections
  /// with `COCODetection.fromModelOutput` (rows of other categories dropped after the
  /// top-100 cut, as the OD API exports them).
  public static func build(_ images: [EvaluatedImage], source: Source) throws -> (COCO, [COCODetection]) {
    let gt: COCO
    switch source {
    case .fromInstances(let coco):
      gt = coco
    case .fromRecords(let categories, let maxBoxes):
      var builder = COCOGroundTruthBuilder(categories: categories)
      for image in images {
        let id = try imageID(sourceId: image.info.sourceId, source: source)
        let g = image.groundTruth
        let n = min(g.count, maxBoxes)
        let crowd = image.info.isCrowd.count == g.count ? Array(image.info.isCrowd.prefix(n)) : []
        let added = builder.addImage(id: id, height: image.info.decodedHeight, width: image.info.decodedWidth,
                                     normalizedBoxes: g.boxes.prefix(n).flatMap(\.coordinates),
                                     classes: g.classes.prefix(n).map(Int.init), isCrowd: crowd,
                                     fileName: image.info.filename)
        guard added else {
          throw EvaluationInputError(message: "two evaluation records have source_id hashing to image id \(id) "
                                       + "(source_id '\(image.info.sourceId)'); source ids must be unique")
        }
      }
      gt = builder.groundTruth
    }
    let valid = Set(gt.categoryIDs)
    var detections: [COCODetection] = []
    for image in images {
      let d = image.detections
      detections += COCODetection.fromModelOutput(
        imageID: try imageID(sourceId: image.info.sourceId, source: source), imageHeight: image.info.decodedHeight,
        imageWidth: image.info.decodedWidth, boxes: d.boxes, classIndices: d.classes, scores: d.scores, count: d.count,
        categoryIDs: valid)
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
