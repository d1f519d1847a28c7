import Testing
@testable import Model

@Suite struct NonMaxSuppressionTests {
  func nms(_ boxes: [Float], _ scores: [Float], max: Int = 100, iou: Float = 0.6, score: Float = 1e-8) -> [Int32] {
    let fast = boxes.withUnsafeBufferPointer { b in
      scores.withUnsafeBufferPointer { s in
        NonMaxSuppression.select(boxes: b.baseAddress!, scores: s.baseAddress!, count: scores.count,
                                 maxOutput: max, iouThreshold: iou, scoreThreshold: score)
      }
    }
    let ref = NonMaxSuppression.selectReference(boxes: boxes, scores: scores, maxOutput: max,
                                                iouThreshold: iou, scoreThreshold: score)
    #expect(fast == ref)
    return fast
  }

  /// The doc comment's example: IoU exactly 0.6 does not suppress, 0.9 does.
  @Test func iouExactlyAtThresholdIsKept() {
    let boxes: [Float] = [0, 0, 1, 1,   0, 0, 1, 0.6,   0, 0, 1, 0.9]
    let v = boxes.withUnsafeBufferPointer { NonMaxSuppression.iou($0.baseAddress!, $0.baseAddress! + 4) }
    #expect(v == Float(0.6))
    #expect(nms(boxes, [0.9, 0.8, 0.7]) == [0, 1])
    #expect(nms(boxes, [0.9, 0.8, 0.7], iou: 0.59) == [0])
  }

  /// Equal scores: lower index first; an identical later box is suppressed by it.
  @Test func tiesGoToLowerIndex() {
    let boxes: [Float] = [0.5, 0.5, 0.9, 0.9,   0, 0, 0.4, 0.4,   0, 0, 0.4, 0.4,   0.5, 0, 0.9, 0.4]
    #expect(nms(boxes, [0.5, 0.5, 0.5, 0.5]) == [0, 1, 3])
    #expect(nms(boxes, [0.5, 0.7, 0.7, 0.5]) == [1, 0, 3])
  }

  /// Score must be strictly above the threshold; maxOutput stops the selection.
  @Test func strictScoreThresholdAndMaxOutput() {
    let boxes: [Float] = [0, 0, 0.1, 0.1,   0.2, 0.2, 0.3, 0.3,   0.4, 0.4, 0.5, 0.5]
    #expect(nms(boxes, [0.3, 0.2, 0.1], score: 0.2) == [0])
    #expect(nms(boxes, [0.3, 0.2, 0.1], max: 2) == [0, 1])
    #expect(nms(boxes, [0.3, 0.2, 0.1], max: 0) == [])
  }

  /// Coordinates are reordered; zero-area boxes have IoU 0 with everything.
  @Test func reorderedAndDegenerateBoxes() {
    let boxes: [Float] = [1, 1, 0, 0,   0, 0, 1, 1,   0.5, 0, 0.5, 1,   0.5, 0, 0.5, 1]
    let v = boxes.withUnsafeBufferPointer { NonMaxSuppression.iou($0.baseAddress!, $0.baseAddress! + 4) }
    #expect(v == 1)
    #expect(nms(boxes, [0.9, 0.8, 0.7, 0.6]) == [0, 2, 3])
  }

  /// The batched path (histogram ranges of ≥ batchSize candidates) equals the sort-based
  /// reference, with batches small enough that many are consumed, scores spread over many
  /// exponents and repeated exactly (ties within and across bins).
  @Test func batchedSelectionMatchesReference() {
    var rng = SplitMix64(seed: 23)
    for trial in 0..<6 {
      let n = 1500
      var boxes: [Float] = [], scores: [Float] = []
      for _ in 0..<n {
        let y = rng.nextFloat(in: 0...0.8), x = rng.nextFloat(in: 0...0.8)
        boxes += [y, x, y + rng.nextFloat(in: 0...0.3), x + rng.nextFloat(in: 0...0.3)]
        let e = Float(rng.next() % 30)
        scores.append(trial % 2 == 0 ? Float(rng.next() % 40) / 40 * Float.pow2(-e) : rng.nextFloat(in: 0...1))
      }
      let ref = NonMaxSuppression.selectReference(boxes: boxes, scores: scores, maxOutput: 40 + 60 * trial,
                                                  iouThreshold: 0.3, scoreThreshold: 1e-8)
      var keys: [UInt64] = []
      for k in 0..<n where scores[k] > 1e-8 { keys.append(NonMaxSuppression.candidateKey(score: scores[k], index: k)) }
      for batch in [8, 64, 256] {
        let got = boxes.withUnsafeBufferPointer { b in
          keys.withUnsafeBufferPointer {
            NonMaxSuppression.select(boxes: b.baseAddress!, keys: $0, maxOutput: 40 + 60 * trial,
                                     iouThreshold: 0.3, batchSize: batch)
          }
        }
        #expect(got == ref, "trial \(trial) batch \(batch)")
      }
    }
  }

  /// Thousands of candidates in one histogram bin (scores equal in their top bits, as an
  /// untrained network gives) go through the heap path and still equal the reference.
  @Test func crowdedBinMatchesReference() {
    var rng = SplitMix64(seed: 29)
    let n = 4000
    var boxes: [Float] = [], scores: [Float] = []
    for _ in 0..<n {
      let y = rng.nextFloat(in: 0...0.9), x = rng.nextFloat(in: 0...0.9)
      boxes += [y, x, y + rng.nextFloat(in: 0...0.1), x + rng.nextFloat(in: 0...0.1)]
      scores.append(0.0100 + Float(rng.next() % 64) * 1e-7)  // one 12-bit bin, many ties
    }
    var keys: [UInt64] = []
    for k in 0..<n { keys.append(NonMaxSuppression.candidateKey(score: scores[k], index: k)) }
    #expect(Set(keys.map { $0 >> 52 }).count == 1)
    for (maxOut, iou): (Int, Float) in [(100, 0.6), (3000, 0.05), (1, 0.5)] {
      let ref = NonMaxSuppression.selectReference(boxes: boxes, scores: scores, maxOutput: maxOut,
                                                  iouThreshold: iou, scoreThreshold: 1e-8)
      let got = boxes.withUnsafeBufferPointer { b in
        keys.withUnsafeBufferPointer {
          NonMaxSuppression.select(boxes: b.baseAddress!, keys: $0, maxOutput: maxOut, iouThreshold: iou)
        }
      }
      #expect(got == ref, "maxOutput \(maxOut) iou \(iou)")
    }
  }

  /// Candidate keys order by score, then lower index; negative scores order below positive.
  @Test func candidateKeysOrder() {
    let k = NonMaxSuppression.candidateKey
    #expect(k(0.5, 3) > k(0.25, 1))
    #expect(k(0.5, 1) > k(0.5, 2))
    #expect(k(0, 9) > k(-0.5, 0))
    #expect(k(-0.25, 0) > k(-0.5, 0))
    #expect(NonMaxSuppression.candidateIndex(k(0.7, 12_803)) == 12_803)
  }

  /// Small candidate sets equal the sort-based reference on random crowded scenes with repeated scores.
  @Test func smallSetsMatchReference() {
    var rng = SplitMix64(seed: 17)
    for trial in 0..<30 {
      let n = 50 + 40 * (trial % 5)
      var boxes: [Float] = [], scores: [Float] = []
      for _ in 0..<n {
        let y = rng.nextFloat(in: 0...0.6), x = rng.nextFloat(in: 0...0.6)
        boxes += [y, x, y + rng.nextFloat(in: 0...0.4), x + rng.nextFloat(in: 0...0.4)]
        scores.append(Float(rng.next() % 20) / 20)       // many equal scores, some 0
      }
      _ = nms(boxes, scores, max: 1 + trial * 3, iou: trial % 2 == 0 ? 0.6 : 0.3)
    }
  }
}
extension Float {
  /// 2^e for the tests' score spreads.
  static func pow2(_ e: Float) -> Float { Float(sign: .plus, exponent: Int(e), significand: 1) }
}
