import Testing
@testable import Model

@Suite struct TargetAssignerTests {
  /// Three anchors, two boxes: anchor 0 overlaps box 0 exactly, anchor 1 is far from
  /// everything, anchor 2 overlaps box 1 with IoU 1/7 (< 0.5) but is its best anchor.
  @Test func handWorkedAssignment() {
    let anchors: [Float] = [0, 0, 0.5, 0.5,   0.6, 0.6, 0.7, 0.7,   0.5, 0.5, 1.0, 1.0]
    let gt = GroundTruthBoxes(boxes: [0, 0, 0.5, 0.5,   0.75, 0.75, 1.25, 1.25], classes: [3, 90])
    let assigner = TargetAssigner()
    let t = assigner.assign(anchors: anchors, groundTruth: gt)
    #expect(t.matches == [0, -1, 1])
    #expect(t.classSlots == [3, 0, 90])
    #expect(t.regressionWeights == [1, 0, 1])
    #expect(t.classWeights == [1, 1, 1])
    #expect(t.numMatches == 2)
    #expect(Array(t.regressionTargets[4..<8]) == [0, 0, 0, 0])
    let enc = assigner.boxCoder.encode(boxes: [0.75, 0.75, 1.25, 1.25], anchors: [0.5, 0.5, 1.0, 1.0])
    #expect(Array(t.regressionTargets[8..<12]) == enc)
    #expect(abs(t.regressionTargets[8] - 5) < 1e-5)   // center shift 0.25 / height 0.5 · 10
    let dense = t.denseClassTargets()
    #expect(dense.count == 3 * 91)
    #expect(dense[3] == 1 && dense[2 * 91 + 90] == 1)
    #expect(dense.reduce(0, +) == 2)
    #expect(dense[0] == 0 && dense[91] == 0 && dense[182] == 0)   // background slot always 0
  }

  /// Out-of-range class ids (unknown label −1, 0) give an all-zero class row, yet the
  /// anchor is still matched (regression weight 1).
  @Test func unknownClassIdGivesZeroRow() {
    let anchors: [Float] = [0, 0, 0.5, 0.5]
    let t = TargetAssigner().assign(anchors: anchors, groundTruth: GroundTruthBoxes(boxes: [0, 0, 0.5, 0.5], classes: [-1]))
    #expect(t.matches == [0])
    #expect(t.classSlots == [0])
    #expect(t.regressionWeights == [1])
  }

  /// Ignored anchors (between thresholds) get class weight 0; custom negative weight.
  @Test func ignoredAndNegativeWeights() {
    let anchors: [Float] = [0, 0, 1, 1,   0, 0, 0.6, 1,   0.9, 0.9, 1, 1]
    let gt = GroundTruthBoxes(boxes: [0, 0, 1, 1], classes: [1])
    let a = TargetAssigner(matcher: ArgMaxMatcher(matchedThreshold: 0.7, unmatchedThreshold: 0.3),
                           negativeClassWeight: 0.5)
    let t = a.assign(anchors: anchors, groundTruth: gt)
    #expect(t.matches == [0, -2, -1])
    #expect(t.classWeights == [1, 0, 0.5])
    #expect(t.regressionWeights == [1, 0, 0])
  }

  /// Fast path (skipping padding rows) equals the full-matrix reference on the real 12,804
  /// anchors with 100-row padded ground truth, including a zero-area valid box (forced onto
  /// anchor 0) and a duplicate box (tie).
  @Test func fastPathMatchesReferenceOnSSD320Anchors() {
    let anchors = AnchorGenerator().generate(imageHeight: 320, imageWidth: 320)
    var rng = SplitMix64(seed: 9)
    let assigner = TargetAssigner()
    for trial in 0..<3 {
      var boxes: [Float] = [], classes: [Int] = []
      for k in 0..<(3 + 4 * trial) {
        if k == 2 { boxes += Array(boxes[0..<4]) }
        else if k == 3 && trial == 2 { boxes += [0.5, 0.5, 0.5, 0.7] }
        else {
          let y = rng.nextFloat(in: 0...0.9), x = rng.nextFloat(in: 0...0.9)
          boxes += [y, x, min(1, y + rng.nextFloat(in: 0.005...0.6)), min(1, x + rng.nextFloat(in: 0.005...0.6))]
        }
        classes.append(1 + Int(rng.next() % 90))
      }
      let gt = GroundTruthBoxes(boxes: boxes, classes: classes).padded(to: 100)
      let fast = assigner.assign(anchors: anchors, groundTruth: gt)
      let ref = assigner.assignReference(anchors: anchors, groundTruth: gt)
      #expect(fast.matches == ref.matches)
      #expect(fast.classSlots == ref.classSlots)
      #expect(fast.regressionTargets == ref.regressionTargets)
      #expect(fast.regressionWeights == ref.regressionWeights)
      #expect(fast.classWeights == ref.classWeights)
      #expect(fast.numMatches >= 3)
      if trial == 2 { #expect(fast.matches[0] == 3) }   // zero-area valid box forced onto anchor 0
    }
  }

  @Test func emptyGroundTruthGivesAllNegatives() {
    let anchors = AnchorGenerator(minLevel: 6, maxLevel: 7).generate(imageHeight: 320, imageWidth: 320)
    let t = TargetAssigner().assign(anchors: anchors, groundTruth: .empty)
    #expect(t.numMatches == 0)
    #expect(t.matches.allSatisfy { $0 == -1 })
    #expect(t.classWeights.allSatisfy { $0 == 1 })
    let p = TargetAssigner().assign(anchors: anchors, groundTruth: GroundTruthBoxes.empty.padded(to: 100))
    #expect(p.numMatches == 0)
  }
}
