/// What can go wrong reading COCO files or pairing detections with a ground truth.
/// Each case names the file (`source`), the record and the field, and says what to do.
public enum COCOError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read at all.
  case unreadableFile(source: String, reason: String)
  /// The file is not JSON, or its top level has the wrong shape.
  case invalidJSON(source: String, reason: String)
  /// A record's field is missing or has the wrong type or length; `location` is a path
  /// such as `annotations[12].bbox`.
  case invalidField(source: String, location: String, reason: String)
  /// A detection names an image that is not in the ground truth's `images` list
  /// (pycocotools: "Results do not correspond to current coco set").
  case detectionForUnknownImage(source: String, index: Int, imageID: Int)
  /// Detections whose image ids are neither the ground truth's ids nor (all of them) the OD
  /// API's hashed ids of those images; `count` of them, the first `example`.
  case unmatchedImageIDs(source: String, groundTruth: String, count: Int, example: Int)

  public var description: String {
    switch self {
    case let .unreadableFile(source, reason):
      return "\(source): cannot read the file (\(reason)); check the path and permissions."
    case let .invalidJSON(source, reason):
      return "\(source): not a valid COCO JSON file (\(reason)). Ground truth must be an instances "
        + "object {images, annotations, categories}; detections a list of "
        + "{image_id, category_id, bbox: [x, y, w, h], score}."
    case let .invalidField(source, location, reason):
      return "\(source): \(location): \(reason). Fix that record (COCO format: bbox is [x, y, width, height] "
        + "in absolute pixels; ids are integers)."
    case let .detectionForUnknownImage(source, index, imageID):
      return "\(source): detection [\(index)] has image_id \(imageID), which is not in the ground truth's images "
        + "(pycocotools refuses such results too). Evaluate against the ground truth the detections were made for, "
        + "or drop those detections."
    case let .unmatchedImageIDs(source, groundTruth, count, example):
      return "\(source): \(count) detections have image ids that are not images of \(groundTruth) (e.g. \(example)), "
        + "neither as COCO ids nor as the hashed ids training writes when it rebuilds the ground truth from the "
        + "eval records (string_to_hash_bucket_fast(source_id, 2^31) of each image's id). Evaluate against the "
        + "instances file the eval records were made from, or train with --eval_annotations INSTANCES_JSON so "
        + "detections-STEP.json carries COCO ids."
    }
  }
}
