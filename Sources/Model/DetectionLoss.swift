import Dispatch

/// The SSD training loss of one per-worker batch (spec §5–§6): target assignment per image,
/// sigmoid focal classification loss over every anchor and class slot, weighted smooth-L1
/// localization loss, normalization by the batch's matched-anchor count, L2 regularization.
///
/// Inputs are the network's raw outputs, rows ordered level → y → x → anchor like the anchors:
/// `boxEncodings [B, A, 4]` (ty, tx, th, tw) and `classLogits [B, A, numClasses + 1]`
/// (slot 0 = background). With N = max(Σ regression weights over the batch, 1):
/// ```
/// classification = (1/N) · Σ FL          localization = (1/(4N)) · Σ smoothL1
/// regularization = 0.0004 · Σ_kernels Σw²/2     total = classification + localization + regularization
/// ```
/// (the scales 1/N and 1/(4N) are float32 reciprocals multiplied in, as TensorFlow does).
/// Gradients of `total` with respect to both outputs are returned; the regularizer adds its
/// gradient straight into `ParameterStore.gradients`. Images are processed concurrently
/// (`concurrent`), each summed separately and combined in image order: results do not
/// depend on thread timing.
public struct DetectionLoss {
  /// `[A, 4]` flat normalized anchors (`AnchorGenerator.generate`).
  public var anchors: [Float]
  public var assigner: TargetAssigner
  public var focal: SigmoidFocalLoss
  public var smoothL1: WeightedSmoothL1Loss
  public var regularizer: L2Regularizer
  public var classificationWeight: Float
  public var localizationWeight: Float
  /// Divide by the matched-anchor count (config `normalize_loss_by_num_matches`).
  public var normalizeByNumMatches: Bool
  /// Divide the localization loss by the code size 4 too (`normalize_loc_loss_by_codesize`).
  public var normalizeLocalizationByCodeSize: Bool
  /// Process the batch's images on several threads.
  public var concurrent: Bool

  public init(anchors: [Float], numClasses: Int = 90,
              assigner: TargetAssigner? = nil,
              focal: SigmoidFocalLoss = SigmoidFocalLoss(),
              smoothL1: WeightedSmoothL1Loss = WeightedSmoothL1Loss(),
              regularizer: L2Regularizer = L2Regularizer(),
              classificationWeight: Float = 1, localizationWeight: Float = 1,
              normalizeByNumMatches: Bool = true, normalizeLocalizationByCodeSize: Bool = true,
              concurrent: Bool = true) {
    precondition(anchors.count % 4 == 0 && !anchors.isEmpty, "DetectionLoss: anchors must be [A, 4], got \(anchors.count) values")
    self.anchors = anchors
    self.assigner = assigner ?? TargetAssigner(numClasses: numClasses)
    precondition(self.assigner.numClasses == numClasses,
                 "DetectionLoss: assigner has \(self.assigner.numClasses) classes, loss \(numClasses)")
    self.focal = focal
    self.smoothL1 = smoothL1
    self.regularizer = regularizer
    self.classificationWeight = classificationWeight
    self.localizationWeight = localizationWeight
    self.normalizeByNumMatches = normalizeByNumMatches
    self.normalizeLocalizationByCodeSize = normalizeLocalizationByCodeSize
    self.concurrent = concurrent
  }

  public var anchorCount: Int { anchors.count / 4 }
  public var numClasses: Int { assigner.numClasses }

  /// Loss for tensors shaped `[B, A, 4]` and `[B, A, numClasses + 1]` (any shape with those
  /// element counts is accepted, e.g. `[B, A·4]`).
  public func compute(boxEncodings: Tensor, classLogits: Tensor, groundTruth: [GroundTruthBoxes],
                      parameters: ParameterStore? = nil) -> DetectionLossResult {
    compute(boxEncodings: boxEncodings.data, classLogits: classLogits.data, groundTruth: groundTruth,
            parameters: parameters)
  }

  /// Loss for flat arrays; the batch size is `groundTruth.count`.
  /// - Parameter parameters: if given, the L2 term is computed and its gradient added to
  ///   `parameters.gradients` (each worker adds the same `0.0004·w`, so averaging across
  ///   workers keeps it unchanged).
  public func compute(boxEncodings: [Float], classLogits: [Float], groundTruth: [GroundTruthBoxes],
                      parameters: ParameterStore? = nil) -> DetectionLossResult {
    let b = groundTruth.count, a = anchorCount, c = numClasses + 1
    precondition(boxEncodings.count == b * a * 4,
                 "DetectionLoss: box encodings have \(boxEncodings.count) values, expected [\(b), \(a), 4]")
    precondition(classLogits.count == b * a * c,
                 "DetectionLoss: class logits have \(classLogits.count) values, expected [\(b), \(a), \(c)]")

    // 1. Targets per image.
    var targets = [AssignedTargets?](repeating: nil, count: b)
    targets.withUnsafeMutableBufferPointer { t in
      let tp = t.baseAddress!
      forEachImage(b) { i in tp[i] = assigner.assign(anchors: anchors, groundTruth: groundTruth[i]) }
    }
    let assigned = targets.map { $0! }

    // 2. Normalizer over the whole batch.
    var weightSum: Float = 0
    var matches = 0
    for t in assigned {
      matches += t.numMatches
      for w in t.regressionWeights { weightSum += w }
    }
    let normalizer: Float = normalizeByNumMatches ? max(weightSum, 1) : 1
    let locNormalizer = normalizeLocalizationByCodeSize ? normalizer * Float(FasterRCNNBoxCoder.codeSize) : normalizer
    let clsScale = classificationWeight / normalizer
    let locScale = localizationWeight / locNormalizer

    // 3. Losses and gradients per image.
    var clsSums = [Double](repeating: 0, count: b)
    var locSums = [Double](repeating: 0, count: b)
    var dBoxData = [Float](repeating: 0, count: b * a * 4)
    // Every element is written by the focal-loss rows, so no zero fill is needed.
    let dClsData = [Float](unsafeUninitializedCapacity: b * a * c) { dcP, initialized in
      boxEncodings.withUnsafeBufferPointer { boxP in
        classLogits.withUnsafeBufferPointer { logP in
          dBoxData.withUnsafeMutableBufferPointer { dbP in
            clsSums.withUnsafeMutableBufferPointer { csP in
              locSums.withUnsafeMutableBufferPointer { lsP in
                let box = boxP.baseAddress!, log = logP.baseAddress!
                let db = dbP.baseAddress!, dc = dcP.baseAddress!
                let cs = csP.baseAddress!, ls = lsP.baseAddress!
                forEachImage(b) { i in
                  let (cl, lo) = imageLoss(assigned[i], image: i, anchors: a, classSlots: c,
                                           box: box, logits: log, dBox: db, dLogits: dc,
                                           clsScale: clsScale, locScale: locScale)
                  cs[i] = cl
                  ls[i] = lo
                }
              }
            }
          }
        }
      }
      initialized = b * a * c
    }
    let clsTotal = Float(clsSums.reduce(0, +))
    let locTotal = Float(locSums.reduce(0, +))
    let classification = clsScale * clsTotal
    let localization = locScale * locTotal
    let regularization = parameters.map { regularizer.apply(to: $0) } ?? 0
    return DetectionLossResult(
      classificationLoss: classification, localizationLoss: localization,
      regularizationLoss: regularization, totalLoss: localization + classification + regularization,
      numMatches: matches, normalizer: normalizer,
      dBoxEncodings: Tensor(shape: [b, a, 4], data: dBoxData),
      dClassLogits: Tensor(shape: [b, a, c], data: dClsData),
      targets: assigned)
  }

  /// Focal + smooth-L1 sums of image i; writes its gradient rows.
  private func imageLoss(_ t: AssignedTargets, image i: Int, anchors a: Int, classSlots c: Int,
                         box: UnsafePointer<Float>, logits: UnsafePointer<Float>,
                         dBox: UnsafeMutablePointer<Float>, dLogits: UnsafeMutablePointer<Float>,
                         clsScale: Float, locScale: Float) -> (Double, Double) {
    var clsSum: Double = 0
    var locSum: Double = 0
    t.classSlots.withUnsafeBufferPointer { slots in
      t.classWeights.withUnsafeBufferPointer { cw in
        t.regressionWeights.withUnsafeBufferPointer { rw in
          t.regressionTargets.withUnsafeBufferPointer { rt in
            for j in 0..<a {
              let row = i * a + j
              let slot = Int(slots[j])
              clsSum += focal.accumulateRow(logits: logits + row * c, count: c,
                                            positiveSlot: slot > 0 ? slot : -1, weight: cw[j],
                                            gradientScale: clsScale, dLogits: dLogits + row * c)
              locSum += Double(smoothL1.accumulateRow(
                predictions: box + row * 4, targets: rt.baseAddress! + j * 4, count: 4,
                weight: rw[j], gradientScale: locScale, dPredictions: dBox + row * 4))
            }
          }
        }
      }
    }
    return (clsSum, locSum)
  }

  private func forEachImage(_ n: Int, _ body: (Int) -> Void) {
    if concurrent && n > 1 {
      DispatchQueue.concurrentPerform(iterations: n, execute: body)
    } else {
      for i in 0..<n { body(i) }
    }
  }
}
