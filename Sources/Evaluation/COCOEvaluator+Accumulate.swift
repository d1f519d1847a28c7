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
    var scores: [Double] = [], rank: [Int32] = [], flags: [UInt8] = [], kept: [Int] = []
    for k in 0..<K {
      let E = evaluations[k]
      if E.isEmpty { continue }
      // Every detection of the category, concatenated in image order: its score, its rank
      // within its image, and its flags laid out [a][t][position] (N positions).
      let N = E.reduce(0) { $0 + $1.detectionIDs.count }
      scores.removeAll(keepingCapacity: true)
      rank.removeAll(keepingCapacity: true)
      flags.removeAll(keepingCapacity: true)
      flags.append(contentsOf: repeatElement(0, count: A * T * N))
      var offset = 0
      var npig = [Int](repeating: 0, count: A)
      for ev in E {
        let D = ev.detectionIDs.count
        scores.append(contentsOf: ev.detectionScores)
        for r in 0..<D { rank.append(Int32(r)) }
        ev.flags.withUnsafeBufferPointer { src in
          flags.withUnsafeMutableBufferPointer { dst in
            for row in 0..<(A * T) {
              for d in 0..<D { dst[row * N + offset + d] = src[row * D + d] }
            }
          }
        }
        for a in 0..<A { npig[a] += ev.nonIgnoredGroundTruthCount[a] }
        offset += D
      }
      let order = ScoreOrder.argsort(scores)

      for (m, maxDet) in params.maxDetections.enumerated() {
        kept.removeAll(keepingCapacity: true)
        for p in order where Int(rank[p]) < maxDet { kept.append(p) }
        for a in 0..<A where npig[a] > 0 {
          for t in 0..<T {
            let rc = flags.withUnsafeBufferPointer { f in
              kept.withUnsafeBufferPointer { fillCurve(&curve, flags: f.baseAddress! + (a * T + t) * N, positions: $0, npig: npig[a]) }
            }
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
    var precision: [Double] = []
    var recall: [Double] = []
    var sampled: [Double] = []
  }

  /// One precision/recall curve: detections `flags[positions[0]]`, `flags[positions[1]]`,
  /// ... in score order. Fills `s.sampled` (R precision samples) and returns the final
  /// recall (0 if there are no detections).
  func fillCurve(_ s: inout CurveScratch, flags: UnsafePointer<UInt8>, positions: UnsafeBufferPointer<Int>,
                 npig: Int) -> Double {
    let nd = positions.count
    let R = params.recallThresholds.count
    if s.precision.count < nd {
      s.precision = [Double](repeating: 0, count: nd)
      s.recall = [Double](repeating: 0, count: nd)
    }
    if s.sampled.count != R { s.sampled = [Double](repeating: 0, count: R) }
    let denominator = Double(npig)
    let eps = Double.ulpOfOne  // numpy.spacing(1)
    return s.precision.withUnsafeMutableBufferPointer { pr in
      s.recall.withUnsafeMutableBufferPointer { rc in
        s.sampled.withUnsafeMutableBufferPointer { q in
          params.recallThresholds.withUnsafeBufferPointer { thresholds in
            var tp = 0.0, fp = 0.0
            for j in 0..<nd {
              let f = flags[positions[j]]
              if f & COCOImageEvaluation.ignoredBit == 0 {
                if f & COCOImageEvaluation.matchedBit != 0 { tp += 1 } else { fp += 1 }
              }
              rc[j] = tp / denominator
              pr[j] = tp / (fp + tp + eps)
            }
            // Precision envelope: non-increasing from the right.
            var i = nd - 1
            while i > 0 {
              if pr[i] > pr[i - 1] { pr[i - 1] = pr[i] }
              i -= 1
            }
            // searchsorted(recall, thresholds, 'left'): first position with recall >= threshold;
            // thresholds past the last position sample 0.
            var p = 0
            for r in 0..<R {
              while p < nd && rc[p] < thresholds[r] { p += 1 }
              q[r] = p < nd ? pr[p] : 0
            }
            return nd > 0 ? rc[nd - 1] : 0
          }
        }
      }
    }
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
