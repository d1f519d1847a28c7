import Dispatch
import Foundation

/// SSD post-processing (spec §8): raw network outputs → at most `maxTotalDetections`
/// boxes per image.
///
/// 1. Decode all anchors' boxes (`FasterRCNNBoxCoder.decode`, unclipped).
/// 2. Scores = sigmoid(logit / logitScale), background slot 0 dropped → `[A, numClasses]`.
/// 3. Per class: `NonMaxSuppression.select` (score > threshold, IoU > threshold suppresses,
///    at most `maxDetectionsPerClass`).
/// 4. Concatenate classes (class 0 first), stable sort by score descending.
/// 5. Clip boxes to [0, 1] (`max(min(v, 1), 0)`), drop boxes whose clipped area is ≤ 0.
/// 6. Keep the first `maxTotalDetections`.
public struct PostProcessor {
  /// `[A, 4]` flat normalized anchors.
  public var anchors: [Float]
  public var boxCoder: FasterRCNNBoxCoder
  public var numClasses: Int
  /// Config `score_threshold` (1e−8 for SSD320).
  public var scoreThreshold: Float
  /// Config `iou_threshold` (0.6).
  public var iouThreshold: Float
  /// Config `max_detections_per_class` (100).
  public var maxDetectionsPerClass: Int
  /// Config `max_total_detections` (100).
  public var maxTotalDetections: Int
  /// Config `logit_scale` (1).
  public var logitScale: Float
  /// Process a batch's images on several threads.
  public var concurrent: Bool

  public init(anchors: [Float], numClasses: Int = 90, boxCoder: FasterRCNNBoxCoder = FasterRCNNBoxCoder(),
              scoreThreshold: Float = 1e-8, iouThreshold: Float = 0.6, maxDetectionsPerClass: Int = 100,
              maxTotalDetections: Int = 100, logitScale: Float = 1, concurrent: Bool = true) {
    precondition(anchors.count % 4 == 0 && !anchors.isEmpty, "PostProcessor: anchors must be [A, 4], got \(anchors.count) values")
    self.anchors = anchors
    self.numClasses = numClasses
    self.boxCoder = boxCoder
    self.scoreThreshold = scoreThreshold
    self.iouThreshold = iouThreshold
    self.maxDetectionsPerClass = maxDetectionsPerClass
    self.maxTotalDetections = maxTotalDetections
    self.logitScale = logitScale
    self.concurrent = concurrent
  }

  public var anchorCount: Int { anchors.count / 4 }

  /// Detections of a batch: `boxEncodings [B, A, 4]`, `classLogits [B, A, numClasses + 1]`.
  public func detect(boxEncodings: Tensor, classLogits: Tensor) -> [Detections] {
    let a = anchorCount, c = numClasses + 1
    let b = boxEncodings.count / (a * 4)
    precondition(boxEncodings.count == b * a * 4 && classLogits.count == b * a * c,
                 "PostProcessor: outputs \(boxEncodings.shape) / \(classLogits.shape) do not fit [B, \(a), 4] / [B, \(a), \(c)]")
    var out = [Detections?](repeating: nil, count: b)
    boxEncodings.data.withUnsafeBufferPointer { bp in
      classLogits.data.withUnsafeBufferPointer { lp in
        out.withUnsafeMutableBufferPointer { op in
          let box = bp.baseAddress!, log = lp.baseAddress!, o = op.baseAddress!
          let body: (Int) -> Void = { i in
            o[i] = detect(boxEncodings: box + i * a * 4, classLogits: log + i * a * c)
          }
          if concurrent && b > 1 { DispatchQueue.concurrentPerform(iterations: b, execute: body) }
          else { for i in 0..<b { body(i) } }
        }
      }
    }
    return out.map { $0! }
  }

  /// Detections of one image from flat `[A, 4]` encodings and `[A, numClasses + 1]` logits.
  public func detect(boxEncodings: [Float], classLogits: [Float]) -> Detections {
    precondition(boxEncodings.count == anchorCount * 4 && classLogits.count == anchorCount * (numClasses + 1),
                 "PostProcessor: one image needs \(anchorCount * 4) encodings and \(anchorCount * (numClasses + 1)) logits")
    return boxEncodings.withUnsafeBufferPointer { b in
      classLogits.withUnsafeBufferPointer { l in detect(boxEncodings: b.baseAddress!, classLogits: l.baseAddress!) }
    }
  }

  /// sigmoid(logit / logitScale) (TensorFlow divides, then applies the score converter).
  @inline(__always)
  private func score(_ logit: Float) -> Float {
    let x = logitScale == 1 ? logit : logit / logitScale
    return 1 / (1 + Foundation.exp(-x))
  }

  /// One image, from pointers into the batch outputs.
  public func detect(boxEncodings: UnsafePointer<Float>, classLogits: UnsafePointer<Float>) -> Detections {
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
