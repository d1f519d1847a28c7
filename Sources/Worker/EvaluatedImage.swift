import Data
import Model

/// One evaluation image's result: which sample it was, what the evaluator needs to know
/// about it (source id, decoded size, crowd flags), its ground truth as read from the record
/// (no augmentation; NaN boxes dropped) and the post-processed detections.
public struct EvaluatedImage {
  /// Index into the evaluation source (before any subsetting).
  public var sampleIndex: Int
  public var info: SampleInfo
  public var groundTruth: GroundTruth
  public var detections: Detections
  public init(sampleIndex: Int, info: SampleInfo, groundTruth: GroundTruth, detections: Detections) {
    self.sampleIndex = sampleIndex
    self.info = info
    self.groundTruth = groundTruth
    self.detections = detections
  }
}
