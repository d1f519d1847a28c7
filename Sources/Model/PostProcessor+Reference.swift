import Foundation

extension PostProcessor {
  /// The straightforward path `detect` replaced (kept as its reference; tests require the
  /// same detections, bit for bit): every anchor decoded, every score computed, every
  /// class's candidates through `NonMaxSuppression.select`, then the stable sort by score,
  /// clipping, dropping zero-area boxes and truncation.
  func detectReference(boxEncodings: UnsafePointer<Float>, classLogits: UnsafePointer<Float>) -> Detections {
    let a = anchorCount, c = numClasses + 1
    // 1. Decode.
    var boxes = [Float](repeating: 0, count: a * 4)
    anchors.withUnsafeBufferPointer { ap in
      boxes.withUnsafeMutableBufferPointer { bp in
        for j in 0..<a {
          boxCoder.decode(code: boxEncodings + 4 * j, anchor: ap.baseAddress! + 4 * j, into: bp.baseAddress! + 4 * j)
        }
      }
    }
    // 2. Scores, filtered by threshold straight into per-class candidate keys
    //    (class-major, so each class's NMS reads one contiguous list).
    let nc = numClasses
    var counts = [Int](repeating: 0, count: nc)
    // Only the first counts[cls] entries of each class's segment are ever read.
    let keys = [UInt64](unsafeUninitializedCapacity: a * nc) { kp, initialized in
      counts.withUnsafeMutableBufferPointer { cp in
        let thr = scoreThreshold
        for j in 0..<a {
          let row = classLogits + j * c + 1
          for cls in 0..<nc {
            let s = score(row[cls])
            if s > thr {
              kp[cls * a + cp[cls]] = NonMaxSuppression.candidateKey(score: s, index: j)
              cp[cls] += 1
            }
          }
        }
      }
      initialized = a * nc
    }
    // 3. Per-class NMS; 4. concatenation in (class, selection order), then a stable sort by
    //    score: the final key is (score, UInt32.max − position).
    var selected: [(anchor: Int32, cls: Int32, score: Float)] = []
    var order: [UInt64] = []
    keys.withUnsafeBufferPointer { kp in
      boxes.withUnsafeBufferPointer { bp in
        for cls in 0..<nc {
          let list = UnsafeBufferPointer(rebasing: kp[(cls * a)..<(cls * a + counts[cls])])
          let kept = NonMaxSuppression.select(boxes: bp.baseAddress!, keys: list,
                                              maxOutput: min(maxDetectionsPerClass, a), iouThreshold: iouThreshold)
          for k in kept {
            let s = score(classLogits[Int(k) * c + cls + 1])
            order.append(NonMaxSuppression.candidateKey(score: s, index: selected.count))
            selected.append((k, Int32(cls), s))
          }
        }
      }
    }
    order.sort(by: >)
    // 5–6. Clip, drop zero area, keep the first maxTotal.
    let m = maxTotalDetections
    var det = Detections(boxes: [Float](repeating: 0, count: m * 4), scores: [Float](repeating: 0, count: m),
                         classes: [Int](repeating: 0, count: m), anchorIndices: [Int](repeating: -1, count: m),
                         count: 0)
    for key in order {
      if det.count == m { break }
      let e = selected[NonMaxSuppression.candidateIndex(key)]
      let b = 4 * Int(e.anchor)
      let y0 = max(min(boxes[b], 1), 0), x0 = max(min(boxes[b + 1], 1), 0)
      let y1 = max(min(boxes[b + 2], 1), 0), x1 = max(min(boxes[b + 3], 1), 0)
      if !((y1 - y0) * (x1 - x0) > 0) { continue }
      let r = det.count
      det.boxes[4 * r] = y0; det.boxes[4 * r + 1] = x0; det.boxes[4 * r + 2] = y1; det.boxes[4 * r + 3] = x1
      det.scores[r] = e.score
      det.classes[r] = Int(e.cls)
      det.anchorIndices[r] = Int(e.anchor)
      det.count += 1
    }
    return det
  }
}
