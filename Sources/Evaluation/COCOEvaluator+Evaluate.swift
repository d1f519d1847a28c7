extension COCOEvaluator {
  /// pycocotools' `evaluate()`: matches detections to ground truths for every category,
  /// image and area range. Returns one list per entry of `categoryIDs`, holding that
  /// category's image evaluations in ascending image id order; image-category pairs with
  /// neither ground truths nor detections have no entry (pycocotools' `None`).
  public func evaluate() -> [[COCOImageEvaluation]] {
    evaluate(literal: false)
  }

  /// `evaluate()` without the shortcut that skips detections whose best IoU is below the
  /// threshold: the literal matching loop for every detection, kept as the reference.
  public func evaluateReference() -> [[COCOImageEvaluation]] {
    evaluate(literal: true)
  }

  func evaluate(literal: Bool) -> [[COCOImageEvaluation]] {
    var result: [[COCOImageEvaluation]] = []
    result.reserveCapacity(categoryIDs.count)
    var scratch = MatchScratch()
    for k in categoryIDs.indices {
      var list: [COCOImageEvaluation] = []
      for i in imageIDs.indices {
        if let e = evaluateImage(categoryIndex: k, imageIndex: i, literal: literal, scratch: &scratch) { list.append(e) }
      }
      result.append(list)
    }
    return result
  }

  /// Reusable buffers for `evaluateImage`.
  struct MatchScratch {
    var ious: [Double] = []
    var gtIgnore: [Bool] = []
    var order: [Int] = []
    var orderedIgnore: [Bool] = []
    var orderedCrowd: [Bool] = []
    var gtMatched: [Bool] = []
    var bestIoU: [Double] = []
    var dtArea: [Double] = []
    var dtOutside: [Bool] = []
  }

  /// pycocotools' `computeIoU` + `evaluateImg` for one category and image at all area ranges.
  ///
  /// Detections: sorted by score (stable), first `maxDetections.last` kept. IoU matrix
  /// D×G in `_gts` order. Per area range: a ground truth is ignored if crowd or its area is
  /// outside the range; ground truths are re-ordered non-ignored first (stable). Per IoU
  /// threshold t, each detection in turn takes the best remaining ground truth:
  ///
  ///     best = min(t, 1 - 1e-10), m = none
  ///     for g in reordered ground truths:
  ///       skip g if already matched at this t, unless g is crowd
  ///       stop if m is a non-ignored match and g is ignored (ignored ones come last)
  ///       skip g if IoU(d, g) < best;  else best = IoU(d, g), m = g   (ties: later g wins)
  ///
  /// A matched detection is ignored iff its ground truth is; an unmatched one is ignored
  /// iff its area `w*h` is outside the range. Example: GTs A (IoU .80, non-ignored) and
  /// crowd C (IoU .90, ignored): at t = .5 the order is [A, C]; A is taken (best = .80),
  /// then the scan stops at C, so the detection is a true positive, not ignored.
  ///
  /// Shortcut (unless `literal`): a detection whose largest IoU with any ground truth is
  /// below the starting `best` cannot match (the scan only takes IoUs >= best), so its scan
  /// is skipped; a NaN IoU disables the shortcut for that detection (`NaN < best` is false).
  func evaluateImage(categoryIndex k: Int, imageIndex i: Int, literal: Bool = false,
                     scratch s: inout MatchScratch) -> COCOImageEvaluation? {
    let key = k * imageIDs.count + i
    let gtRange = gtStart[key]..<gtStart[key + 1]
    let dtRange = dtStart[key]..<dtStart[key + 1]
    if gtRange.isEmpty && dtRange.isEmpty { return nil }

    // Positions (see COCOEvaluator's storage); sorting by position keeps results order on ties.
    let gts = Array(gtRange)
    let candidates = Array(dtRange)
    var dts = ScoreOrder.argsort(candidates.map { dtScores[$0] }).map { candidates[$0] }
    let maxDet = params.maxDetections.last ?? 0
    if dts.count > maxDet { dts.removeLast(dts.count - maxDet) }

    let G = gts.count, D = dts.count, T = params.iouThresholds.count, A = params.areaRanges.count
    // ious[d * G + g], ground truths in `_gts` order.
    s.ious.removeAll(keepingCapacity: true)
    s.bestIoU.removeAll(keepingCapacity: true)
    s.dtArea.removeAll(keepingCapacity: true)
    for d in dts {
      let box = dtBoxes[d]
      s.dtArea.append(box.area)
      var best = -Double.infinity
      for g in gts {
        let iou = box.iou(groundTruth: gtBoxes[g], groundTruthIsCrowd: gtCrowd[g])
        s.ious.append(iou)
        best = iou.isNaN ? .infinity : Swift.max(best, iou)
      }
      s.bestIoU.append(literal ? .infinity : best)
    }

    var flags = [UInt8](repeating: 0, count: A * T * D)
    var nonIgnored = [Int](repeating: 0, count: A)
    for (a, range) in params.areaRanges.enumerated() {
      s.gtIgnore.removeAll(keepingCapacity: true)
      for g in gts { s.gtIgnore.append(gtCrowd[g] || range.excludes(gtAreas[g])) }
      // Stable: non-ignored first, each group in `_gts` order.
      s.order.removeAll(keepingCapacity: true)
      for g in 0..<G where !s.gtIgnore[g] { s.order.append(g) }
      nonIgnored[a] = s.order.count
      for g in 0..<G where s.gtIgnore[g] { s.order.append(g) }
      s.orderedIgnore.removeAll(keepingCapacity: true)
      s.orderedCrowd.removeAll(keepingCapacity: true)
      for g in s.order { s.orderedIgnore.append(s.gtIgnore[g]); s.orderedCrowd.append(gtCrowd[gts[g]]) }
      s.dtOutside.removeAll(keepingCapacity: true)
      for area in s.dtArea { s.dtOutside.append(range.excludes(area)) }

      for (t, threshold) in params.iouThresholds.enumerated() {
        let base = (a * T + t) * D
        if G > 0 && D > 0 {
          s.gtMatched.removeAll(keepingCapacity: true)
          s.gtMatched.append(contentsOf: repeatElement(false, count: G))
          let start = Swift.min(threshold, 1 - 1e-10)
          for d in 0..<D where !(s.bestIoU[d] < start) {
            var best = start
            var m = -1
            for r in 0..<G {
              if s.gtMatched[r] && !s.orderedCrowd[r] { continue }
              if m > -1 && !s.orderedIgnore[m] && s.orderedIgnore[r] { break }
              let iou = s.ious[d * G + s.order[r]]
              if iou < best { continue }
              best = iou
              m = r
            }
            if m == -1 { continue }
            s.gtMatched[m] = true  // pycocotools stores the detection id, always >= 1
            var f: UInt8 = 0
            if gtIDs[gts[s.order[m]]] != 0 { f |= COCOImageEvaluation.matchedBit }
            if s.orderedIgnore[m] { f |= COCOImageEvaluation.ignoredBit }
            flags[base + d] = f
          }
        }
        // Unmatched (dtMatches == 0) detections outside the area range are ignored.
        for d in 0..<D where s.dtOutside[d] && flags[base + d] & COCOImageEvaluation.matchedBit == 0 {
          flags[base + d] |= COCOImageEvaluation.ignoredBit
        }
      }
    }
    return COCOImageEvaluation(
      imageID: imageIDs[i], categoryID: categoryIDs[k],
      detectionIDs: dts.map { Int(dtItems[$0]) + 1 }, detectionScores: dts.map { dtScores[$0] },
      groundTruthIDs: gts.map { gtIDs[$0] }, nonIgnoredGroundTruthCount: nonIgnored,
      thresholdCount: T, flags: flags)
  }
}
