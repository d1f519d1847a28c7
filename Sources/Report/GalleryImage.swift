import Events

/// A picture of an evaluation's event file for the report's gallery: the recipe's
/// `Detections_Left_Groundtruth_Right` image (detections left, ground truth right).
public struct GalleryImage: Equatable, Sendable {
  /// Evaluation name (the `eval_<name>` directory; `eval` for TensorFlow's own).
  public var evaluation: String
  public var step: Int
  public var tag: String
  public var image: SummaryImage
  /// The event file it was read from.
  public var source: String
}
