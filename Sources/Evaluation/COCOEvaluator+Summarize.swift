import Foundation

extension COCOEvaluator {
  /// pycocotools' `summarize()` for bbox: the 12 standard numbers, the 12 lines it prints,
  /// and per-category AP. Each number is numpy's mean of the selected entries > -1
  /// (taken in [T, R, K] / [T, K] row-major order, summed pairwise as numpy does), or -1
  /// when there are none.
  ///
  /// Needs at least three `maxDetections` (uses entries 0, 1, 2 like pycocotools) and the
  /// area labels "all", "small", "medium", "large" (a missing label yields -1).
  public func summarize(_ acc: COCOAccumulation) -> COCOMetrics {
    let md = params.maxDetections
    precondition(md.count >= 3, "summarize needs 3 maxDetections (pycocotools uses [1, 10, 100]), got \(md)")
    let specs: [(ap: Bool, iou: Double?, area: String, maxDets: Int)] = [
      (true, nil, "all", md[2]), (true, 0.5, "all", md[2]), (true, 0.75, "all", md[2]),
      (true, nil, "small", md[2]), (true, nil, "medium", md[2]), (true, nil, "large", md[2]),
      (false, nil, "all", md[0]), (false, nil, "all", md[1]), (false, nil, "all", md[2]),
      (false, nil, "small", md[2]), (false, nil, "medium", md[2]), (false, nil, "large", md[2]),
    ]
    var stats: [Double] = [], lines: [String] = []
    for spec in specs {
      let value = summaryValue(acc, ap: spec.ap, iouThreshold: spec.iou, areaLabel: spec.area, maxDets: spec.maxDets)
      stats.append(value)
      lines.append(summaryLine(ap: spec.ap, iouThreshold: spec.iou, areaLabel: spec.area, maxDets: spec.maxDets, value: value))
    }
    var perCategory: [COCOCategoryAP] = []
    let all = params.areaRanges.firstIndex { $0.label == "all" }
    let m100 = params.maxDetections.firstIndex(of: 100)
    let t50 = params.iouThresholds.firstIndex(of: 0.5)
    for k in categoryIDs.indices {
      var ap = -1.0, ap50 = -1.0
      if let a = all, let m = m100 {
        ap = meanOfValid(acc, ts: Array(0..<acc.counts.t), k: k, a: a, m: m)
        if let t = t50 { ap50 = meanOfValid(acc, ts: [t], k: k, a: a, m: m) }
      }
      perCategory.append(COCOCategoryAP(id: categoryIDs[k], name: categoryNames[k], ap: ap, ap50: ap50))
    }
    return COCOMetrics(stats: stats, summaryLines: lines, perCategory: perCategory, imageCount: imageIDs.count,
                       groundTruthCount: groundTruthCount, detectionCount: detectionCount)
  }

  /// Mean of precision[ts, :, k, a, m] entries > -1, or -1.
  private func meanOfValid(_ acc: COCOAccumulation, ts: [Int], k: Int, a: Int, m: Int) -> Double {
    var values: [Double] = []
    for t in ts {
      for r in 0..<acc.counts.r {
        let v = acc.precision[acc.precisionIndex(t: t, r: r, k: k, a: a, m: m)]
        if v > -1 { values.append(v) }
      }
    }
    return values.isEmpty ? -1 : NumpySum.mean(values)
  }

  /// pycocotools' `_summarize(ap, iouThr, areaRng, maxDets)` value.
  func summaryValue(_ acc: COCOAccumulation, ap: Bool, iouThreshold: Double?, areaLabel: String, maxDets: Int) -> Double {
    // np.where(iouThr == p.iouThrs): exact float comparison.
    let ts = iouThreshold.map { thr in params.iouThresholds.indices.filter { params.iouThresholds[$0] == thr } }
      ?? Array(params.iouThresholds.indices)
    guard let a = params.areaRanges.firstIndex(where: { $0.label == areaLabel }),
          let m = params.maxDetections.firstIndex(of: maxDets) else { return -1 }
    var values: [Double] = []
    for t in ts {
      if ap {
        for r in 0..<acc.counts.r {
          for k in 0..<acc.counts.k {
            let v = acc.precision[acc.precisionIndex(t: t, r: r, k: k, a: a, m: m)]
            if v > -1 { values.append(v) }
          }
        }
      } else {
        for k in 0..<acc.counts.k {
          let v = acc.recall[acc.recallIndex(t: t, k: k, a: a, m: m)]
          if v > -1 { values.append(v) }
        }
      }
    }
    return values.isEmpty ? -1 : NumpySum.mean(values)
  }

  /// One printed line, pycocotools' format
  /// `' {:<18} {} @[ IoU={:<9} | area={:>6s} | maxDets={:>3d} ] = {:0.3f}'`.
  func summaryLine(ap: Bool, iouThreshold: Double?, areaLabel: String, maxDets: Int, value: Double) -> String {
    func pad(_ s: String, _ width: Int, left: Bool) -> String {
      let fill = String(repeating: " ", count: Swift.max(0, width - s.count))
      return left ? s + fill : fill + s
    }
    let title = ap ? "Average Precision" : "Average Recall"
    let type = ap ? "(AP)" : "(AR)"
    let iou = iouThreshold.map { String(format: "%0.2f", $0) }
      ?? String(format: "%0.2f:%0.2f", params.iouThresholds.first ?? 0, params.iouThresholds.last ?? 0)
    return " \(pad(title, 18, left: true)) \(type) @[ IoU=\(pad(iou, 9, left: true)) | area=\(pad(areaLabel, 6, left: false))"
      + " | maxDets=\(pad(String(maxDets), 3, left: false)) ] = \(String(format: "%0.3f", value))"
  }
}
