/// The per-object training targets of one image, unpadded: N boxes with their COCO class ids
/// (1...90) and weights (1.0 unless the record says otherwise). Augmentation keeps the three
/// arrays aligned (a dropped box drops its class and weight).
public struct GroundTruth: Equatable, Sendable {
  public var boxes: [BoundingBox]
  public var classes: [Int32]
  public var weights: [Float]

  public init(boxes: [BoundingBox], classes: [Int32], weights: [Float]? = nil) {
    precondition(boxes.count == classes.count,
                 "GroundTruth needs one class per box, got \(boxes.count) boxes and \(classes.count) classes")
    let w = weights ?? [Float](repeating: 1, count: boxes.count)
    precondition(w.count == boxes.count, "GroundTruth needs one weight per box, got \(w.count) for \(boxes.count)")
    self.boxes = boxes
    self.classes = classes
    self.weights = w
  }

  public static let empty = GroundTruth(boxes: [], classes: [])

  public var count: Int { boxes.count }

  /// The objects at `indices`, in that order.
  public func selecting(_ indices: [Int]) -> GroundTruth {
    GroundTruth(boxes: indices.map { boxes[$0] }, classes: indices.map { classes[$0] },
                weights: indices.map { weights[$0] })
  }

  /// Without boxes that have a NaN coordinate (spec §2.1 step 1).
  public func droppingNaNBoxes() -> GroundTruth {
    selecting(boxes.indices.filter { !boxes[$0].hasNaN })
  }
}
