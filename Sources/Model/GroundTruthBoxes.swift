/// Ground truth of one image as the loss sees it (possibly padded, spec §2.1 step 7).
///
/// - `boxes`: `[count, 4]` flat, normalized `[ymin, xmin, ymax, xmax]`.
/// - `classes`: `[count]` class ids; id k in `1...numClasses` ↔ class slot k (slot 0 is
///   background). Any other id (0 for padding, −1 for an unknown label) has an all-zero
///   one-hot row, as TensorFlow's `one_hot(id − 1, numClasses)` gives.
/// - `weights`: `[count]`; rows with weight ≤ 0 are padding (never force-matched).
public struct GroundTruthBoxes {
  public var boxes: [Float]
  public var classes: [Int]
  public var weights: [Float]

  /// `weights` defaults to 1 for every box.
  public init(boxes: [Float], classes: [Int], weights: [Float]? = nil) {
    precondition(boxes.count == classes.count * 4,
                 "GroundTruthBoxes: \(boxes.count) box values for \(classes.count) classes (need 4 per box)")
    let w = weights ?? [Float](repeating: 1, count: classes.count)
    precondition(w.count == classes.count,
                 "GroundTruthBoxes: \(w.count) weights for \(classes.count) boxes")
    self.boxes = boxes
    self.classes = classes
    self.weights = w
  }

  /// No boxes (an image without objects).
  public static let empty = GroundTruthBoxes(boxes: [], classes: [])

  public var count: Int { classes.count }

  /// The same boxes padded with zero rows (box 0, class 0, weight 0) to `rows`, or cut to
  /// the first `rows` boxes, as the input pipeline's `max_number_of_boxes` does.
  public func padded(to rows: Int) -> GroundTruthBoxes {
    let n = min(count, rows)
    var b = Array(boxes[0..<(4 * n)]), c = Array(classes[0..<n]), w = Array(weights[0..<n])
    b += [Float](repeating: 0, count: 4 * (rows - n))
    c += [Int](repeating: 0, count: rows - n)
    w += [Float](repeating: 0, count: rows - n)
    return GroundTruthBoxes(boxes: b, classes: c, weights: w)
  }
}
