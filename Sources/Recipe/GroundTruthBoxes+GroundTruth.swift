import Data
import Model

extension GroundTruthBoxes {
  /// The loss's form of one image's ground truth (a `Batch` target): boxes flattened to
  /// `[count, 4]`, class ids widened, weights as given.
  public init(_ groundTruth: GroundTruth) {
    self.init(boxes: groundTruth.boxes.flatMap(\.coordinates), classes: groundTruth.classes.map(Int.init),
              weights: groundTruth.weights)
  }
}
