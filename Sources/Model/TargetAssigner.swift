/// Builds per-anchor training targets for one image (Object Detection API `TargetAssigner`
/// with IoU similarity, `ArgMaxMatcher` and `FasterRCNNBoxCoder`, spec §5).
///
/// Steps: IoU [ground truth × anchors] → match → for matched anchors, class slot of the
/// matched box, regression target `encode(box, anchor)`, regression and class weight = the
/// box's weight; unmatched anchors get an all-zero class row with weight
/// `negativeClassWeight`, zero regression target and weight; ignored anchors weight 0.
///
/// Fast path: IoU rows are computed only for boxes that can overlap something or may
/// force-match (weight > 0 or positive extent). Padding rows (zero box, weight 0) are
/// all-zero IoU rows, which cannot change any match; `assignReference` computes the whole
/// matrix and runs the literal matcher, for tests.
public struct TargetAssigner {
  public var matcher: ArgMaxMatcher
  public var boxCoder: FasterRCNNBoxCoder
  /// Real classes (90 for COCO); target rows are numClasses + 1 wide.
  public var numClasses: Int
  /// Classification weight of unmatched anchors (config default 1.0).
  public var negativeClassWeight: Float

  public init(matcher: ArgMaxMatcher = ArgMaxMatcher(), boxCoder: FasterRCNNBoxCoder = FasterRCNNBoxCoder(),
              numClasses: Int = 90, negativeClassWeight: Float = 1) {
    self.matcher = matcher
    self.boxCoder = boxCoder
    self.numClasses = numClasses
    self.negativeClassWeight = negativeClassWeight
  }

  /// Assigns targets. `anchors` is `[A, 4]` flat normalized `[ymin, xmin, ymax, xmax]`.
  public func assign(anchors: [Float], groundTruth gt: GroundTruthBoxes) -> AssignedTargets {
    let a = anchors.count / 4
    precondition(anchors.count == a * 4, "TargetAssigner: anchors must be [A, 4], got \(anchors.count) values")
    var rows: [Int] = []
    for i in 0..<gt.count {
      let b = 4 * i
      let extent = gt.boxes[b + 2] > gt.boxes[b] && gt.boxes[b + 3] > gt.boxes[b + 1]
      if gt.weights[i] > 0 || extent { rows.append(i) }
    }
    var sim = [Float](repeating: 0, count: rows.count * a)
    anchors.withUnsafeBufferPointer { ap in
      gt.boxes.withUnsafeBufferPointer { gp in
        sim.withUnsafeMutableBufferPointer { sp in
          for (k, r) in rows.enumerated() {
            BoxIoU.row(box: gp.baseAddress! + 4 * r, against: ap.baseAddress!, count: a,
                       into: sp.baseAddress! + k * a)
          }
        }
      }
    }
    let valid = gt.weights.map { $0 > 0 }
    let matches = sim.withUnsafeBufferPointer {
      matcher.match(similarity: $0, rowIndices: rows, columns: a, validRows: valid)
    }
    return targets(matches: matches, anchors: anchors, groundTruth: gt)
  }

  /// Reference: full IoU matrix (`BoxIoU.matrix`) and the literal matcher.
  public func assignReference(anchors: [Float], groundTruth gt: GroundTruthBoxes) -> AssignedTargets {
    let a = anchors.count / 4
    let sim = BoxIoU.matrix(gt.boxes, anchors)
    let matches = matcher.match(similarity: sim, rows: gt.count, columns: a, validRows: gt.weights.map { $0 > 0 })
    return targets(matches: matches, anchors: anchors, groundTruth: gt)
  }

  /// Gathers class slots, regression targets and weights from `matches`.
  public func targets(matches: [Int32], anchors: [Float], groundTruth gt: GroundTruthBoxes) -> AssignedTargets {
    let a = matches.count
    var slots = [Int32](repeating: 0, count: a)
    var reg = [Float](repeating: 0, count: a * 4)
    var regW = [Float](repeating: 0, count: a)
    var clsW = [Float](repeating: 0, count: a)
    var n = 0
    anchors.withUnsafeBufferPointer { ap in
      gt.boxes.withUnsafeBufferPointer { gp in
        reg.withUnsafeMutableBufferPointer { rp in
          for j in 0..<a {
            let m = Int(matches[j])
            if m >= 0 {
              n += 1
              let c = gt.classes[m]
              slots[j] = (1...numClasses).contains(c) ? Int32(c) : 0
              boxCoder.encode(box: gp.baseAddress! + 4 * m, anchor: ap.baseAddress! + 4 * j,
                              into: rp.baseAddress! + 4 * j)
              regW[j] = gt.weights[m]
              clsW[j] = gt.weights[m]
            } else if m == Int(ArgMaxMatcher.unmatched) {
              clsW[j] = negativeClassWeight
            }
          }
        }
      }
    }
    return AssignedTargets(matches: matches, classSlots: slots, regressionTargets: reg,
                           regressionWeights: regW, classWeights: clsW, numMatches: n,
                           classSlotCount: numClasses + 1)
  }
}
