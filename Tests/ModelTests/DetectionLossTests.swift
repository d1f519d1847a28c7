import Testing
@testable import Model

@Suite struct DetectionLossTests {
  /// 204 anchors (levels 6–7 of a 320 image), 5 classes (6 slots): small enough for float64
  /// finite differences over the whole batch.
  let anchors = AnchorGenerator(minLevel: 6, maxLevel: 7).generate(imageHeight: 320, imageWidth: 320)
  let numClasses = 5
  var a: Int { anchors.count / 4 }

  func batch(seed: UInt64) -> (box: [Float], logits: [Float], gt: [GroundTruthBoxes]) {
    var rng = SplitMix64(seed: seed)
    let gt = [
      GroundTruthBoxes(boxes: [0.1, 0.1, 0.6, 0.5,   0.3, 0.5, 0.9, 0.95,   0.05, 0.7, 0.2, 0.8],
                       classes: [1, 5, 3]).padded(to: 8),
      GroundTruthBoxes.empty.padded(to: 8),
      GroundTruthBoxes(boxes: [0.0, 0.0, 1.0, 1.0,   0.45, 0.45, 0.55, 0.55], classes: [2, 2]),
    ]
    let b = gt.count
    let box = (0..<(b * a * 4)).map { _ in rng.nextFloat(in: -2...2) }
    let logits = (0..<(b * a * (numClasses + 1))).map { _ in rng.nextFloat(in: -6...3) }
    return (box, logits, gt)
  }

  func loss(concurrent: Bool = true) -> DetectionLoss {
    DetectionLoss(anchors: anchors, numClasses: numClasses, concurrent: concurrent)
  }

  @Test func matchesFloat64Reference() {
    let (box, logits, gt) = batch(seed: 1)
    let r = loss().compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    let targets = gt.map { TargetAssigner(numClasses: numClasses).assignReference(anchors: anchors, groundTruth: $0) }
    let (cls, loc) = LossReference.ssdLoss(box: box.map(Double.init), logits: logits.map(Double.init),
                                           targets: targets, anchors: a, slots: numClasses + 1)
    #expect(r.numMatches == targets.reduce(0) { $0 + $1.numMatches })
    #expect(r.normalizer == Float(r.numMatches))
    #expect(r.numMatches >= 5)
    #expect(abs(Double(r.classificationLoss) - cls) <= 1e-5 * cls, "\(r.classificationLoss) vs \(cls)")
    #expect(abs(Double(r.localizationLoss) - loc) <= 1e-5 * loc, "\(r.localizationLoss) vs \(loc)")
    #expect(r.regularizationLoss == 0)
    #expect(r.totalLoss == r.localizationLoss + r.classificationLoss)
    #expect(r.dBoxEncodings.shape == [3, a, 4])
    #expect(r.dClassLogits.shape == [3, a, numClasses + 1])
  }

  /// dTotal/dOutputs against central differences of the float64 reference loss (targets and
  /// N do not depend on the outputs). Tolerance 1e−3 relative + 1e−7 absolute.
  @Test func gradientsMatchFiniteDifferences() {
    let (box, logits, gt) = batch(seed: 2)
    let r = loss().compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    let targets = gt.map { TargetAssigner(numClasses: numClasses).assignReference(anchors: anchors, groundTruth: $0) }
    var bd = box.map(Double.init), ld = logits.map(Double.init)
    func total() -> Double {
      let (c, l) = LossReference.ssdLoss(box: bd, logits: ld, targets: targets, anchors: a, slots: numClasses + 1)
      return c + l
    }
    var rng = SplitMix64(seed: 3)
    let h = 1e-4
    // Logits: random ones plus every positive slot of image 0.
    var logitIdx = (0..<40).map { _ in Int(rng.next() % UInt64(ld.count)) }
    for j in 0..<a where targets[0].classSlots[j] > 0 { logitIdx.append(j * (numClasses + 1) + Int(targets[0].classSlots[j])) }
    for i in logitIdx {
      let x = ld[i]
      ld[i] = x + h; let up = total()
      ld[i] = x - h; let dn = total()
      ld[i] = x
      let fd = (up - dn) / (2 * h)
      let g = Double(r.dClassLogits.data[i])
      #expect(abs(g - fd) <= 1e-3 * abs(fd) + 1e-7, "logit \(i): \(g) vs \(fd)")
    }
    // Box encodings of matched anchors (others have zero gradient).
    var checked = 0
    for (img, t) in targets.enumerated() {
      for j in 0..<a where t.regressionWeights[j] > 0 {
        for k in 0..<4 {
          let i = (img * a + j) * 4 + k
          let e = bd[i] - Double(t.regressionTargets[j * 4 + k])
          if abs(abs(e) - 1) < 1e-3 { continue }      // Huber kink
          let x = bd[i]
          bd[i] = x + h; let up = total()
          bd[i] = x - h; let dn = total()
          bd[i] = x
          let fd = (up - dn) / (2 * h)
          #expect(abs(Double(r.dBoxEncodings.data[i]) - fd) <= 1e-3 * abs(fd) + 1e-7, "box \(i)")
          checked += 1
        }
      }
    }
    #expect(checked >= 12)
    for img in 0..<3 {
      for j in 0..<a where targets[img].regressionWeights[j] == 0 {
        for k in 0..<4 { #expect(r.dBoxEncodings.data[(img * a + j) * 4 + k] == 0) }
      }
    }
  }

  /// No ground truth anywhere: N = 1, localization 0, classification = Σ FL over all slots.
  @Test func zeroMatchBatchNormalizesByOne() {
    let (box, logits, _) = batch(seed: 4)
    let gt = [GroundTruthBoxes.empty, GroundTruthBoxes.empty.padded(to: 100), GroundTruthBoxes.empty]
    let r = loss().compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    #expect(r.numMatches == 0 && r.normalizer == 1)
    #expect(r.localizationLoss == 0)
    #expect(r.dBoxEncodings.data.allSatisfy { $0 == 0 })
    var ref = 0.0
    for x in logits { ref += LossReference.focal(Double(x), 0) }
    #expect(abs(Double(r.classificationLoss) - ref) <= 1e-5 * ref)
  }

  /// N is over the whole batch: an image's gradient in a batch is its stand-alone gradient
  /// times N_alone / N_batch.
  @Test func normalizerIsPerBatchNotPerImage() {
    let (box, logits, gt) = batch(seed: 5)
    let l = loss()
    let whole = l.compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    let c = numClasses + 1
    let img2Box = Array(box[(2 * a * 4)..<(3 * a * 4)])
    let img2Logits = Array(logits[(2 * a * c)..<(3 * a * c)])
    let alone = l.compute(boxEncodings: img2Box, classLogits: img2Logits, groundTruth: [gt[2]])
    #expect(alone.normalizer < whole.normalizer)
    let ratio = alone.normalizer / whole.normalizer
    for k in stride(from: 0, to: a * c, by: 7) {
      let expected = alone.dClassLogits.data[k] * ratio
      #expect(abs(whole.dClassLogits.data[2 * a * c + k] - expected) <= 1e-6 * abs(expected) + 1e-12)
    }
  }

  @Test func concurrentEqualsSequentialBitwise() {
    let (box, logits, gt) = batch(seed: 6)
    let p = loss(concurrent: true).compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    let s = loss(concurrent: false).compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    #expect(p.classificationLoss == s.classificationLoss)
    #expect(p.localizationLoss == s.localizationLoss)
    #expect(p.dClassLogits.data == s.dClassLogits.data)
    #expect(p.dBoxEncodings.data == s.dBoxEncodings.data)
  }

  /// With a ParameterStore the L2 term joins the total and its gradient lands in the arena;
  /// the Tensor overload gives the same numbers as the array overload.
  @Test func regularizationAndTensorOverload() {
    let (box, logits, gt) = batch(seed: 7)
    let params = ParameterStore()
    let k = params.add(name: "k/weights", shape: [4], regularized: true) { Float($0) - 1.5 }
    let l = loss()
    let plain = l.compute(boxEncodings: box, classLogits: logits, groundTruth: gt)
    let r = l.compute(boxEncodings: Tensor(shape: [3, a, 4], data: box),
                      classLogits: Tensor(shape: [3, a, numClasses + 1], data: logits),
                      groundTruth: gt, parameters: params)
    let reg: Float = Float(0.0004) * Float((2.25 + 0.25 + 0.25 + 2.25) / 2.0)
    #expect(abs(r.regularizationLoss - reg) < 1e-9)
    #expect(r.totalLoss == r.localizationLoss + r.classificationLoss + r.regularizationLoss)
    #expect(r.classificationLoss == plain.classificationLoss)
    #expect(r.dClassLogits.data == plain.dClassLogits.data)
    #expect(params.readGradient(k)[0] == Float(0.0004) * -1.5)
  }
}
