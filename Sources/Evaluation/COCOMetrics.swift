import Foundation

/// The result of a COCO bbox evaluation: pycocotools' 12 `stats`, its printed summary,
/// and per-category AP.
///
/// `stats` order: AP@[.50:.95], AP@.50, AP@.75, AP small, AP medium, AP large (100 dets),
/// AR@1, AR@10, AR@100, AR small, AR medium, AR large (100 dets); -1 means nothing to average.
public struct COCOMetrics: Sendable, Equatable {
  public var stats: [Double]
  /// The 12 lines `summarize()` prints, without newlines.
  public var summaryLines: [String]
  /// One entry per ground-truth category, ascending id.
  public var perCategory: [COCOCategoryAP]
  public var imageCount: Int
  public var groundTruthCount: Int
  public var detectionCount: Int

  public init(stats: [Double], summaryLines: [String], perCategory: [COCOCategoryAP], imageCount: Int,
              groundTruthCount: Int, detectionCount: Int) {
    self.stats = stats
    self.summaryLines = summaryLines
    self.perCategory = perCategory
    self.imageCount = imageCount
    self.groundTruthCount = groundTruthCount
    self.detectionCount = detectionCount
  }

  /// The names the TF Object Detection API reports `stats` under (spec §9.3), in order.
  public static let statNames: [String] = [
    "DetectionBoxes_Precision/mAP",
    "DetectionBoxes_Precision/mAP@.50IOU",
    "DetectionBoxes_Precision/mAP@.75IOU",
    "DetectionBoxes_Precision/mAP (small)",
    "DetectionBoxes_Precision/mAP (medium)",
    "DetectionBoxes_Precision/mAP (large)",
    "DetectionBoxes_Recall/AR@1",
    "DetectionBoxes_Recall/AR@10",
    "DetectionBoxes_Recall/AR@100",
    "DetectionBoxes_Recall/AR@100 (small)",
    "DetectionBoxes_Recall/AR@100 (medium)",
    "DetectionBoxes_Recall/AR@100 (large)",
  ]

  /// `(name, value)` pairs in `statNames` order.
  public var namedStats: [(name: String, value: Double)] {
    zip(Self.statNames, stats).map { ($0, $1) }
  }

  /// Exactly what pycocotools' `summarize()` prints (12 lines, each ending in a newline).
  public var summary: String {
    summaryLines.map { $0 + "\n" }.joined()
  }

  /// A per-category AP table: id, name, AP@[.50:.95], AP@.50 (-1.000: no ground truth).
  public var perCategoryTable: String {
    let nameWidth = Swift.max(4, perCategory.map(\.name.count).max() ?? 0)
    func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: Swift.max(0, w - s.count)) }
    var out = "Per-category AP (area=all, maxDets=100):\n"
    out += "   id  \(pad("name", nameWidth))  AP@[.50:.95]  AP@.50\n"
    for c in perCategory {
      let id = String(c.id)
      out += String(repeating: " ", count: Swift.max(0, 5 - id.count)) + id + "  " + pad(c.name, nameWidth)
        + "  " + pad(String(format: "%0.3f", c.ap), 12) + "  " + String(format: "%0.3f", c.ap50) + "\n"
    }
    return out
  }

  /// The metrics as JSON:
  /// `{"metrics": {name: value, ...}, "stats": [12], "summary": [12 lines],
  ///   "per_category": [{"id", "name", "ap", "ap50"}], "num_images", "num_ground_truth",
  ///   "num_detections"}`, numbers as shortest round-trip float64 decimals. With
  /// `includePerCategory` (`eval_config.include_metrics_per_category`) `metrics` also holds
  /// `DetectionBoxes_PerformanceByCategory/mAP/<name>` for every category.
  public func jsonData(includePerCategory: Bool = false) -> Data {
    var out = "{\n  \"metrics\": {"
    for (n, (name, value)) in namedMetrics(includePerCategory: includePerCategory).enumerated() {
      out += (n == 0 ? "\n" : ",\n") + "    \(JSONText.string(name)): \(JSONText.number(value))"
    }
    out += "\n  },\n  \"stats\": [" + stats.map(JSONText.number).joined(separator: ", ") + "],\n"
    out += "  \"summary\": [" + summaryLines.map { "\n    " + JSONText.string($0) }.joined(separator: ",") + "\n  ],\n"
    out += "  \"per_category\": ["
    for (n, c) in perCategory.enumerated() {
      out += (n == 0 ? "\n" : ",\n") + "    {\"id\": \(c.id), \"name\": \(JSONText.string(c.name)), "
        + "\"ap\": \(JSONText.number(c.ap)), \"ap50\": \(JSONText.number(c.ap50))}"
    }
    out += "\n  ],\n"
    out += "  \"num_images\": \(imageCount),\n  \"num_ground_truth\": \(groundTruthCount),\n"
    out += "  \"num_detections\": \(detectionCount)\n}\n"
    return Data(out.utf8)
  }
}
