/// Post-processed detections of one image (TensorFlow's `detection_*` outputs, spec §8.6).
/// Arrays always have `maxTotalDetections` rows; rows at and beyond `count` are zero padding.
public struct Detections {
  /// `[maxTotal, 4]` flat normalized `[ymin, xmin, ymax, xmax]`, clipped to [0, 1].
  public var boxes: [Float]
  /// `[maxTotal]` sigmoid scores, descending.
  public var scores: [Float]
  /// `[maxTotal]` 0-based class index (slot − 1); the dataset class id is `classes[i] + 1`.
  public var classes: [Int]
  /// Anchor each detection came from (`[maxTotal]`, −1 for padding); for inspection.
  public var anchorIndices: [Int]
  /// `num_detections`: how many leading rows are real.
  public var count: Int
}
