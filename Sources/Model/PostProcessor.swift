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
  func score(_ logit: Float) -> Float {
    let x = logitScale == 1 ? logit : logit / logitScale
    return 1 / (1 + Foundation.exp(-x))
  }

  /// One image, from pointers into the batch outputs.
  ///
  /// The same detections as the plain algorithm of steps 1–6 (`detectReference`, bit for
  /// bit), with far less work:
  /// - a class's candidates are visited in descending *logit* order (`DescendingKeys` over
  ///   keys built from the logits, no sigmoid per anchor); the sigmoid is monotone, so that
  ///   is descending score order, except that different logits can round to the same score,
  ///   which the score order breaks by anchor index: each run of equal scores is gathered
  ///   and visited by index. Scores are computed (as before) only for visited candidates;
  /// - boxes are decoded only when a candidate is visited;
  /// - the best `maxTotalDetections` selections that survive clipping are kept in a
  ///   min-heap by the final order (score, then class and selection order). Once it is
  ///   full, a candidate that would sort after its worst entry can never be output, and
  ///   neither can any later candidate of its class: the class stops there (or is skipped,
  ///   when its best logit already loses), and its logit column is only scanned for
  ///   logits that could still win.
  public func detect(boxEncodings: UnsafePointer<Float>, classLogits: UnsafePointer<Float>) -> Detections {
    precondition(logitScale > 0, "PostProcessor: logit_scale must be positive, got \(logitScale)")
    let a = anchorCount, c = numClasses + 1, nc = numClasses, m = maxTotalDetections
    // Each class's best logit, in one pass over the rows.
    var best = [Float](repeating: -.infinity, count: nc)
    best.withUnsafeMutableBufferPointer { bp in
      for j in 0..<a {
        let row = classLogits + j * c + 1
        for cls in 0..<nc where row[cls] > bp[cls] { bp[cls] = row[cls] }
      }
    }
    var boxes = [Float](repeating: 0, count: a * 4)
    var decoded = [Bool](repeating: false, count: a)
    // Survivors (selections with area after clipping), in class and selection order;
    // `top` is a min-heap of the final-order keys (score, then survivor index) of the best m.
    var survivors: [(anchor: Int32, cls: Int32, score: Float, box: (Float, Float, Float, Float))] = []
    var top: [UInt64] = []
    var keys: [UInt64] = []
    var kept = KeptBoxes(capacity: min(maxDetectionsPerClass, a), iouThreshold: iouThreshold)
    /// The logit whose sigmoid is `s`, less a margin (1e-3 relative: far more than the
    /// sigmoid's rounding), so every logit at or below it scores below `s`.
    func logitBound(_ s: Float) -> Float {
      if s <= 0 { return -.infinity }
      if s >= 1 { return .infinity }
      let l = (log(Double(s)) - log1p(-Double(s))) * Double(logitScale)
      return Float(l - 1e-3 * (1 + abs(l)))
    }
    for cls in 0..<nc {
      // Nothing of this class can enter a full `top` unless it beats the worst entry.
      var bound = logitBound(scoreThreshold)
      if top.count == m {
        if m == 0 || NonMaxSuppression.candidateKey(score: score(best[cls]), index: survivors.count) < top[0] { continue }
        bound = max(bound, logitBound(NonMaxSuppression.candidateScore(top[0])))
      }
      keys.removeAll(keepingCapacity: true)
      for j in 0..<a {
        let l = classLogits[j * c + 1 + cls]
        if l > bound { keys.append(NonMaxSuppression.candidateKey(score: l, index: j)) }
      }
      kept.removeAll()
      let maxOutput = min(maxDetectionsPerClass, a)
      var selected = 0
      keys.withUnsafeBufferPointer { kb in
        var order = DescendingKeys(kb)
        var pending: UInt64? = nil
        var group: [(index: Int, score: Float)] = []
        classLoop: while true {
          // The next run of candidates with equal scores, by anchor index.
          guard let first = pending ?? order.next() else { break }
          pending = nil
          let j0 = NonMaxSuppression.candidateIndex(first)
          let s0 = score(classLogits[j0 * c + 1 + cls])
          group.removeAll(keepingCapacity: true)
          group.append((j0, s0))
          while let k = order.next() {
            let j = NonMaxSuppression.candidateIndex(k)
            if score(classLogits[j * c + 1 + cls]) != s0 { pending = k; break }
            group.append((j, s0))
          }
          if group.count > 1 { group.sort { $0.index < $1.index } }
          // Scores only fall from here: below the threshold, or unable to enter `top`, ends the class.
          if !(s0 > scoreThreshold) { break }
          for (j, s) in group {
            if top.count == m && NonMaxSuppression.candidateKey(score: s, index: survivors.count) < top[0] { break classLoop }
            if !decoded[j] {
              anchors.withUnsafeBufferPointer { ap in
                boxes.withUnsafeMutableBufferPointer { bp in
                  boxCoder.decode(code: boxEncodings + 4 * j, anchor: ap.baseAddress! + 4 * j, into: bp.baseAddress! + 4 * j)
                }
              }
              decoded[j] = true
            }
            let kept1 = boxes.withUnsafeBufferPointer { kept.keepUnlessSuppressed($0.baseAddress! + 4 * j) }
            if !kept1 { continue }
            selected += 1
            // Clip; a box with no area left is never output (but still suppressed others).
            let b = 4 * j
            let y0 = max(min(boxes[b], 1), 0), x0 = max(min(boxes[b + 1], 1), 0)
            let y1 = max(min(boxes[b + 2], 1), 0), x1 = max(min(boxes[b + 3], 1), 0)
            if (y1 - y0) * (x1 - x0) > 0 && m > 0 {
              let key = NonMaxSuppression.candidateKey(score: s, index: survivors.count)
              survivors.append((Int32(j), Int32(cls), s, (y0, x0, y1, x1)))
              if top.count < m {
                top.append(key)
                PostProcessor.siftUp(&top, top.count - 1)
              } else {
                top[0] = key
                PostProcessor.siftDown(&top, 0)
              }
            }
            if selected == maxOutput { break classLoop }
          }
        }
      }
    }
    // 4–6: `top` holds the output in final order (score desc, then class and selection order).
    var det = Detections(boxes: [Float](repeating: 0, count: m * 4), scores: [Float](repeating: 0, count: m),
                         classes: [Int](repeating: 0, count: m), anchorIndices: [Int](repeating: -1, count: m),
                         count: 0)
    for key in top.sorted(by: >) {
      let e = survivors[NonMaxSuppression.candidateIndex(key)]
      let r = det.count
      det.boxes[4 * r] = e.box.0; det.boxes[4 * r + 1] = e.box.1; det.boxes[4 * r + 2] = e.box.2; det.boxes[4 * r + 3] = e.box.3
      det.scores[r] = e.score
      det.classes[r] = Int(e.cls)
      det.anchorIndices[r] = Int(e.anchor)
      det.count += 1
    }
    return det
  }

  /// Min-heap (smallest key at 0) helpers for `detect`'s best survivors.
  private static func siftUp(_ h: inout [UInt64], _ i: Int) {
    var i = i
    let v = h[i]
    while i > 0 {
      let p = (i - 1) / 2
      if h[p] <= v { break }
      h[i] = h[p]
      i = p
    }
    h[i] = v
  }

  private static func siftDown(_ h: inout [UInt64], _ i: Int) {
    var i = i
    let v = h[i], n = h.count
    while true {
      var c = 2 * i + 1
      if c >= n { break }
      if c + 1 < n && h[c + 1] < h[c] { c += 1 }
      if h[c] >= v { break }
      h[i] = h[c]
      i = c
    }
    h[i] = v
  }
}
