extension COCOMetrics {
  /// The OD API's name for a category's AP when `eval_config.include_metrics_per_category`
  /// is set (`coco_tools.COCOEvalWrapper.ComputeMetrics` names it
  /// `PerformanceByCategory/mAP/<category name>`, `coco_evaluation` prefixes `DetectionBoxes_`).
  public static func perCategoryMetricName(_ categoryName: String) -> String {
    "DetectionBoxes_PerformanceByCategory/mAP/" + categoryName
  }

  /// `(name, AP@[.50:.95])` per category, in category-id order, as the OD API adds them to
  /// the metrics: every category of the ground truth (-1 for one without ground-truth
  /// boxes); a name given twice keeps its first position and the later value, as assigning
  /// into the Python dict does.
  public var perCategoryMetrics: [(name: String, value: Double)] {
    var out: [(name: String, value: Double)] = []
    var index: [String: Int] = [:]
    for c in perCategory {
      let name = Self.perCategoryMetricName(c.name)
      if let i = index[name] {
        out[i].value = c.ap
      } else {
        index[name] = out.count
        out.append((name, c.ap))
      }
    }
    return out
  }

  /// The metrics under the OD API's names: the 12 COCO numbers, then the per-category APs
  /// when `includePerCategory` (`eval_config.include_metrics_per_category`).
  public func namedMetrics(includePerCategory: Bool) -> [(name: String, value: Double)] {
    namedStats + (includePerCategory ? perCategoryMetrics : [])
  }

  /// What the console shows after an evaluation: pycocotools' 12 summary lines, and with
  /// `includePerCategory` the per-category table with the metric names the OD API reports.
  public func consoleTable(includePerCategory: Bool) -> String {
    guard includePerCategory else { return summary }
    var out = summary
    out += "Per-category AP (DetectionBoxes_PerformanceByCategory/mAP/<name>, IoU=0.50:0.95, area=all, maxDets=100):\n"
    let width = Swift.max(4, perCategory.map(\.name.count).max() ?? 0)
    for c in perCategory {
      let id = String(c.id)
      out += String(repeating: " ", count: Swift.max(0, 5 - id.count)) + id + "  " + c.name
        + String(repeating: " ", count: Swift.max(0, width - c.name.count)) + "  " + String(format: "%6.3f", c.ap) + "\n"
    }
    return out
  }
}
