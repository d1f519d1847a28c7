import Foundation
import Testing
@testable import Model

@Suite struct PostProcessorTests {
  /// logit whose sigmoid is s (for setting up scores).
  func logit(_ s: Double) -> Float { Float(log(s / (1 - s))) }

  /// Zero encodings decode to the anchors (exact for these dyadic boxes).
  @Test func handWorkedImage() {
    let anchors: [Float] = [
      0, 0, 0.5, 0.5,           // 0
      0, 0, 0.5, 0.25,          // 1: IoU 0.5 with 0
      0.5, 0.5, 1.25, 1.5,      // 2: partly outside → clipped to [0.5, 0.5, 1, 1]
      1.25, 0, 1.5, 0.5,        // 3: fully below the image → clipped area 0, dropped
      0, 0, 0.5, 0.5,           // 4: duplicate of 0
    ]
    let nc = 3, c = nc + 1, a = 5
    var logits = [Float](repeating: -30, count: a * c)
    logits[0 * c + 1] = logit(0.9)      // class 0 anchor 0
    logits[1 * c + 1] = logit(0.8)      // class 0 anchor 1 (IoU 0.5 ≤ 0.6: kept)
    logits[4 * c + 1] = logit(0.85)     // class 0 anchor 4 (duplicate of 0: suppressed)
    logits[2 * c + 2] = logit(0.95)     // class 1 anchor 2
    logits[3 * c + 3] = logit(0.99)     // class 2 anchor 3 (dropped after clipping)
    logits[0 * c + 0] = 10              // background slot is ignored
    let pp = PostProcessor(anchors: anchors, numClasses: nc, maxTotalDetections: 10)
    let d = pp.detect(boxEncodings: [Float](repeating: 0, count: a * 4), classLogits: logits)
    #expect(d.count == 3)
    #expect(Array(d.classes[0..<3]) == [1, 0, 0])
    #expect(Array(d.anchorIndices[0..<3]) == [2, 0, 1])
    #expect(abs(d.scores[0] - 0.95) < 1e-6 && abs(d.scores[1] - 0.9) < 1e-6 && abs(d.scores[2] - 0.8) < 1e-6)
    #expect(Array(d.boxes[0..<4]) == [0.5, 0.5, 1, 1])
    #expect(Array(d.boxes[4..<8]) == [0, 0, 0.5, 0.5])
    #expect(d.scores[3] == 0 && d.anchorIndices[3] == -1 && d.boxes.count == 40)
  }

  /// More than 100 candidates: each class keeps its top 100, the image keeps the top 100
  /// overall; equal scores across classes keep class order (stable sort).
  @Test func moreThan100Candidates() {
    var anchors: [Float] = []
    for k in 0..<150 {                    // 150 disjoint boxes in a 15×10 grid
      let y = Float(k / 10) / 16, x = Float(k % 10) / 16
      anchors += [y, x, y + 1 / 32, x + 1 / 32]
    }
    let nc = 2, c = 3, a = 150
    var logits = [Float](repeating: -40, count: a * c)
    for k in 0..<a {
      logits[k * c + 1] = logit(0.3 + 0.004 * Double(k))        // class 0: 0.3 … 0.896
      logits[k * c + 2] = logit(0.3 + 0.004 * Double(k))        // class 1: the same scores
    }
    let pp = PostProcessor(anchors: anchors, numClasses: nc)
    let d = pp.detect(boxEncodings: [Float](repeating: 0, count: a * 4), classLogits: logits)
    #expect(d.count == 100)
    // Top 50 anchors (149 … 100), each as class 0 then class 1.
    for r in 0..<100 {
      #expect(d.anchorIndices[r] == 149 - r / 2, "row \(r)")
      #expect(d.classes[r] == r % 2, "row \(r)")
    }
    // Per-class cap: with 1 class and 150 candidates only 100 survive.
    let one = PostProcessor(anchors: anchors, numClasses: 1, maxDetectionsPerClass: 100, maxTotalDetections: 150)
    let l1 = (0..<a).flatMap { [Float(-40), logit(0.3 + 0.004 * Double($0))] }
    #expect(one.detect(boxEncodings: [Float](repeating: 0, count: a * 4), classLogits: l1).count == 100)
  }

  /// A score at or below the threshold is never a candidate: sigmoid(−30) ≈ 9e−14 < 1e−8.
  @Test func scoreThresholdAndPadding() {
    let anchors: [Float] = [0, 0, 0.5, 0.5,   0.5, 0.5, 1, 1]
    let pp = PostProcessor(anchors: anchors, numClasses: 1, scoreThreshold: 0.5)
    let d = pp.detect(boxEncodings: [Float](repeating: 0, count: 8), classLogits: [0, logit(0.7), 0, 0])
    #expect(d.count == 1)                 // sigmoid(0) = 0.5 is not > 0.5
    #expect(d.anchorIndices[0] == 0)
    let none = PostProcessor(anchors: anchors, numClasses: 1).detect(boxEncodings: [Float](repeating: 0, count: 8),
                                                                     classLogits: [0, -30, 0, -30])
    #expect(none.count == 0 && none.scores.allSatisfy { $0 == 0 })
  }

  /// Encodings are decoded before NMS; NMS sees unclipped boxes: two boxes that are
  /// identical after clipping but differ outside the image do not suppress each other.
  @Test func nmsRunsOnUnclippedDecodedBoxes() {
    let anchors: [Float] = [0.5, 0.5, 1.5, 1.5,   0.5, 0.5, 1.0, 1.0]
    let pp = PostProcessor(anchors: anchors, numClasses: 1)
    let d = pp.detect(boxEncodings: [Float](repeating: 0, count: 8), classLogits: [0, 2, 0, 1])
    #expect(d.count == 2)               // unclipped IoU 0.25; clipped they would be identical
    #expect(Array(d.boxes[0..<4]) == Array(d.boxes[4..<8]))
    // A shifted encoding moves the box: ty = 10 · 0.25 / h_a.
    let moved = pp.detect(boxEncodings: [0, 0, 0, 0,   5, 0, 0, 0], classLogits: [0, 2, 0, 1])
    #expect(abs(moved.boxes[4] - 0.75) < 1e-6 && abs(moved.boxes[6] - 1) < 1e-6)
  }

  @Test func batchEqualsSingleImages() {
    let anchors = AnchorGenerator(minLevel: 6, maxLevel: 7).generate(imageHeight: 320, imageWidth: 320)
    let a = anchors.count / 4, nc = 4, c = nc + 1
    var rng = SplitMix64(seed: 8)
    let box = Tensor.random([3, a, 4], in: -1...1, rng: &rng)
    let logits = Tensor.random([3, a, c], in: -8...4, rng: &rng)
    let pp = PostProcessor(anchors: anchors, numClasses: nc, maxDetectionsPerClass: 20, maxTotalDetections: 30)
    let batch = pp.detect(boxEncodings: box, classLogits: logits)
    for i in 0..<3 {
      let single = pp.detect(boxEncodings: Array(box.data[(i * a * 4)..<((i + 1) * a * 4)]),
                             classLogits: Array(logits.data[(i * a * c)..<((i + 1) * a * c)]))
      #expect(batch[i].boxes == single.boxes && batch[i].scores == single.scores && batch[i].classes == single.classes)
      #expect(single.count == 30)
      #expect(zip(single.scores.dropLast(), single.scores.dropFirst()).allSatisfy { $0 >= $1 })
      #expect(single.boxes.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
  }

  /// logit_scale divides the logits before the sigmoid.
  @Test func logitScaleDividesLogits() {
    let pp = PostProcessor(anchors: [0, 0, 0.5, 0.5], numClasses: 1, logitScale: 2)
    let d = pp.detect(boxEncodings: [0, 0, 0, 0], classLogits: [0, 3])
    #expect(abs(d.scores[0] - Float(1 / (1 + exp(-1.5)))) < 1e-7)
  }

  /// The fast path (`detect`: logit order, lazy decoding, the best-100 cut) against the plain
  /// algorithm it replaced (`detectReference`), bit for bit: an untrained network's logits
  /// (all near −4.6), saturated scores (logits > 17 all round to 1.0, so ties by anchor
  /// index), NaN logits, boxes pushed outside the image (dropped after clipping), and small
  /// per-class and total caps.
  @Test(arguments: [0, 1, 2, 3])
  func fastPathEqualsReference(pattern: Int) {
    let anchors = AnchorGenerator(minLevel: 5, maxLevel: 7).generate(imageHeight: 320, imageWidth: 320)
    let a = anchors.count / 4, nc = 7, c = nc + 1
    var rng = SplitMix64(seed: UInt64(40 + pattern))
    var logits = [Float](repeating: 0, count: a * c), codes = [Float](repeating: 0, count: a * 4)
    for i in 0..<(a * c) {
      switch pattern {
      case 0: logits[i] = -4.6 + rng.nextFloat(in: -0.01...0.01)             // untrained
      case 1: logits[i] = rng.nextFloat(in: -1...1) < 0.3 ? rng.nextFloat(in: 17...30) : rng.nextFloat(in: -20...5)
      case 2: logits[i] = Float(Int(rng.nextFloat(in: -6...6)))               // many exact ties
      default: logits[i] = rng.nextFloat(in: -1...1) < 0.01 ? .nan : rng.nextFloat(in: -25...8)
      }
    }
    for i in 0..<(a * 4) { codes[i] = rng.nextFloat(in: -3...3) }           // some boxes leave the image
    for (perClass, total) in [(100, 100), (5, 12), (40, 300), (1, 1), (3, 0)] {
      let pp = PostProcessor(anchors: anchors, numClasses: nc, iouThreshold: 0.5, maxDetectionsPerClass: perClass,
                             maxTotalDetections: total)
      let fast = pp.detect(boxEncodings: codes, classLogits: logits)
      let ref = codes.withUnsafeBufferPointer { b in
        logits.withUnsafeBufferPointer { l in pp.detectReference(boxEncodings: b.baseAddress!, classLogits: l.baseAddress!) }
      }
      let label = "pattern \(pattern), per class \(perClass), total \(total)"
      #expect(fast.count == ref.count, "\(label)")
      #expect(fast.boxes.map(\.bitPattern) == ref.boxes.map(\.bitPattern), "\(label)")
      #expect(fast.scores.map(\.bitPattern) == ref.scores.map(\.bitPattern), "\(label)")
      #expect(fast.classes == ref.classes && fast.anchorIndices == ref.anchorIndices, "\(label)")
      if total > 0 { #expect(ref.count > 0, "\(label): the case must select something") }
    }
  }

  /// SSD320's anchors and 90 classes with an untrained network's outputs (the benchmark's
  /// case): the fast path equals the reference.
  @Test func fastPathEqualsReferenceOnSSD320() {
    let model = SSDConfig.ssd320
    let anchors = AnchorGenerator(minLevel: model.minLevel, maxLevel: model.maxLevel)
      .generate(imageHeight: model.imageHeight, imageWidth: model.imageWidth)
    let a = anchors.count / 4, c = 91
    var rng = SplitMix64(seed: 7)
    let logits = (0..<(a * c)).map { _ in -4.6 + rng.nextFloat(in: -0.3...0.3) }
    let codes = (0..<(a * 4)).map { _ in rng.nextFloat(in: -0.05...0.05) }
    let pp = PostProcessor(anchors: anchors, numClasses: 90)
    let fast = pp.detect(boxEncodings: codes, classLogits: logits)
    let ref = codes.withUnsafeBufferPointer { b in
      logits.withUnsafeBufferPointer { l in pp.detectReference(boxEncodings: b.baseAddress!, classLogits: l.baseAddress!) }
    }
    #expect(fast.count == 100 && ref.count == 100)
    #expect(fast.boxes == ref.boxes && fast.scores == ref.scores && fast.classes == ref.classes
              && fast.anchorIndices == ref.anchorIndices)
  }
}
