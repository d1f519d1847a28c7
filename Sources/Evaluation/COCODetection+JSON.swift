import Foundation

extension COCODetection {
  /// Reads a COCO results file: a JSON list of `{image_id, category_id, bbox, score}`
  /// (extra keys are ignored). Throws `COCOError` naming the entry and field at fault.
  public static func loadResults(contentsOf path: String) throws -> [COCODetection] {
    try loadResults(jsonData: try COCOJSONRecords.read(path: path), source: path)
  }

  /// Parses a COCO results document; `source` names it in errors.
  public static func loadResults(jsonData: Data, source: String = "<detections JSON>") throws -> [COCODetection] {
    let records = try COCOJSONRecords.decode([COCOJSONRecords.Detection].self, from: jsonData, source: source)
    return records.map {
      COCODetection(imageID: $0.image_id.value, categoryID: $0.category_id.value, bbox: $0.bbox.box, score: $0.score)
    }
  }

  /// `detections` as a COCO results document (one entry per line), readable by
  /// pycocotools' `loadRes` and by `loadResults`, with every float64 preserved exactly.
  public static func resultsJSON(_ detections: [COCODetection]) -> Data {
    var out = "["
    for (n, d) in detections.enumerated() {
      out += n == 0 ? "\n" : ",\n"
      out += "{\"image_id\": \(d.imageID), \"category_id\": \(d.categoryID), \"bbox\": \(JSONText.box(d.bbox)), "
        + "\"score\": \(JSONText.number(d.score))}"
    }
    out += detections.isEmpty ? "]\n" : "\n]\n"
    return Data(out.utf8)
  }
}
