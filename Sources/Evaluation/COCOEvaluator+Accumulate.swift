extension COCOEvaluator {
  /// pycocotools' `accumulate()` from `evaluate()`'s output.
  ///
  /// For each category, area range and detection limit maxDet: take the first maxDet
  /// detections of every image, order them all by score (stable: image order, then
  /// per-image order), count TP (matched, not ignored) and FP (unmatched, not ignored)
  /// cumulatively, `recall = tp / npig` (npig: non-ignored ground truths), `precision =
  /// tp / (tp + fp + 2^-52)`, make precision non-increasing from the right and sample it
  /// at the first position whose recall reaches each recall threshold (0 past the end).
  ///
  /// Fast path: the score order does not depend on the area range, and dropping the
  /// entries ranked >= maxDet in their image from the full order gives the order of the
  /// shorter concatenation, so each category is sorted once. `accumulateReference` is the
  /// literal per-(category, area, maxDet) version it is tested against.
  public func accumulate(_ evaluations: [[COCOImageEvaluation]]) -> COCOAccumulation {
    precondition(evaluations.count == categoryIDs.count,
                 "accumulate expects one list per category (\(categoryIDs.count)), got \(evaluations.count)")
    let T = params.iouThresholds.count, R = params.recallThresholds.count
    let K = categoryIDs.count, A = params.areaRanges.count, M = params.maxDetections.count
    var acc = COCOAccumulation(t: T, r: R, k: K, a: A, m: M)
    var curve = CurveScratch()
    for k in 0..<K {
      let E = evaluations[k]
      if E.isEmpty { continue }
      // Every detection of the category: (evaluation, rank in its image), concatenated.
      var scores: [Double] = [], owner: [Int32] = [], rank: [Int32] = []
      for (e, ev) in E.enumerated() {
        for (r, score) in ev.detectionScores.enumerated() {
          scores.append(score); owner.append(Int32(e)); rank.append(Int32(r))
        }
      }
      let order = ScoreOrder.argsort(scores)
      var npig = [Int](repeating: 0, count: A)
      for ev in E { for a in 0..<A { npig[a] += ev.nonIgnoredGroundTruthCount[a] } }

      for (m, maxDet) in params.maxDetections.enumerated() {
        let kept = order.filter { Int(rank[$0]) < maxDet }
        for a in 0..<A where npig[a] > 0 {
          for t in 0..<T {
            curve.flags.removeAll(keepingCapacity: true)
            for p in kept {
              let ev = E[Int(owner[p])]
              curve.flags.append(ev.flags[(a * T + t) * ev.detectionIDs.count + Int(rank[p])])
            }
            let rc = fillCurve(&curve, npig: npig[a])
            acc.recall[acc.recallIndex(t: t, k: k, a: a, m: m)] = rc
            for r in 0..<R { acc.precision[acc.precisionIndex(t: t, r: r, k: k, a: a, m: m)] = curve.sampled[r] }
          }
        }
      }
    }
    return acc
  }

  /// Buffers for `fillCurve`.
  struct CurveScratch {
    var flags: [UInt8] = []
    var precision: [Double] = []
    var recall: [Double] = []
    var sampled: [Double] = []
  }

  /// One precision/recall curve from detection flags in score order: fills
  /// `s.sampled` (R precision samples) and returns the final recall (0 if no detections).
  func fillCurve(_ s: inout CurveScratch, npig: Int) -> Double {
    let nd = s.flags.count
    s.precision.removeAll(keepingCapacity: true)
    s.recall.removeAll(keepingCapacity: true)
    var tp = 0.0, fp = 0.0
    let denominator = Double(npig)
    let eps = Double.ulpOfOne  // numpy.spacing(1)
    for f in s.flags {
      if f & COCOImageEvaluation.ignoredBit == 0 {
        if f & COCOImageEvaluation.matchedBit != 0 { tp += 1 } else { fp += 1 }
      }
      s.recall.append(tp / denominator)
      s.precision.append(tp / (fp + tp + eps))
    }
    if nd > 1 {
      for i in stride(from: nd - 1, to: 0, by: -1) where s.precision[i] > s.precision[i - 1] {
        s.precision[i - 1] = s.precision[i]
      }
    }
    // searchsorted(recall, thresholds, 'left'): first position with recall >= threshold.
    s.sampled.removeAll(keepingCapacity: true)
    var p = 0
    for threshold in params.recallThresholds {
      while p < nd && s.recall[p] < threshold { p += 1 }
      if p >= nd { break }
      s.sampled.append(s.precision[p])
    }
    s.sampled.append(contentsOf: repeatElement(0, count: params.recallThresholds.count - s.sampled.count))
    return nd > 0 ? s.recall[nd - 1] : 0
  }

  /// Literal port of pycocotools' `accumulate()`, kept as the reference for `accumulate`:
  /// a fresh concatenation, merge sort and curve for every (category, area, maxDet).
  public func accumulateReference(_ evaluations: [[COCOImageEvaluation]]) -> COCOAccumulation {
    let T = params.iouThresholds.count, R = params.recallThresholds.count
    let K = categoryIDs.count, A = params.areaRanges.count, M = params.maxDetections.count
    var acc = COCOAccumulation(t: T, r: R, k: K, a: A, m: M)
    for k in 0..<K {
      for a in 0..<A {
        for (m, maxDet) in params.maxDetections.enumerated() {
          let E = evaluations[k]
          if E.isEmpty { continue }
          var dtScores: [Double] = []
          var dtm: [[Bool]] = Array(repeating: [], count: T), dtIg: [[Bool]] = Array(repeating: [], count: T)
          for e in E {
            let n = Swift.min(maxDet, e.detectionIDs.count)
            dtScores += e.detectionScores[0..<n]
            for t in 0..<T {
              for d in 0..<n {
                dtm[t].append(e.isMatched(area: a, threshold: t, detection: d))
                dtIg[t].append(e.isIgnored(area: a, threshold: t, detection: d))
              }
            }
          }
          let inds = ScoreOrder.mergesortReference(dtScores)
          let npig = E.reduce(0) { $0 + $1.nonIgnoredGroundTruthCount[a] }
          if npig == 0 { continue }
          for t in 0..<T {
            var tpSum: [Double] = [], fpSum: [Double] = []
            var tpc = 0.0, fpc = 0.0
            for j in inds {
              if dtm[t][j] && !dtIg[t][j] { tpc += 1 }
              if !dtm[t][j] && !dtIg[t][j] { fpc += 1 }
              tpSum.append(tpc); fpSum.append(fpc)
            }
            let nd = tpSum.count
            let rc = tpSum.map { $0 / Double(npig) }
            var pr = (0..<nd).map { tpSum[$0] / (fpSum[$0] + tpSum[$0] + Double.ulpOfOne) }
            acc.recall[acc.recallIndex(t: t, k: k, a: a, m: m)] = nd > 0 ? rc[nd - 1] : 0
            var i = nd - 1
            while i > 0 {
              if pr[i] > pr[i - 1] { pr[i - 1] = pr[i] }
              i -= 1
            }
            var q = [Double](repeating: 0, count: R)
            for (ri, threshold) in params.recallThresholds.enumerated() {
              // Binary search, like numpy.searchsorted(side='left').
              var lo = 0, hi = nd
              while lo < hi {
                let mid = (lo + hi) / 2
                if rc[mid] < threshold { lo = mid + 1 } else { hi = mid }
              }
              if lo >= nd { break }
              q[ri] = pr[lo]
            }
            for r in 0..<R { acc.precision[acc.precisionIndex(t: t, r: r, k: k, a: a, m: m)] = q[r] }
          }
        }
      }
    }
    return acc
  }
}
