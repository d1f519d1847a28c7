import Data
import Model

/// One evaluation image's result: which sample it was, what the evaluator needs to know
/// about it (source id, decoded size, crowd flags), its ground truth as read from the record
/// (no augmentation; NaN boxes dropped) and the post-processed detections.
public struct EvaluatedImage: Equatable {
  /// Index into the evaluation source (before any subsetting).
  public var sampleIndex: Int
  public var info: SampleInfo
  public var groundTruth: GroundTruth
  public var detections: Detections
  /// The training losses of this image alone (as TF's evaluation computes them with batch
  /// 1: normalized by the image's own matched anchors; regularization included in total);
  /// nil when not computed.
  public var losses: EvaluationLosses?
  public init(sampleIndex: Int, info: SampleInfo, groundTruth: GroundTruth, detections: Detections,
              losses: EvaluationLosses? = nil) {
    self.sampleIndex = sampleIndex
    self.info = info
    self.groundTruth = groundTruth
    self.detections = detections
    self.losses = losses
  }

  public static func == (a: EvaluatedImage, b: EvaluatedImage) -> Bool {
    a.sampleIndex == b.sampleIndex && a.info == b.info && a.groundTruth == b.groundTruth && a.losses == b.losses
      && a.detections.boxes == b.detections.boxes && a.detections.scores == b.detections.scores
      && a.detections.classes == b.detections.classes && a.detections.anchorIndices == b.detections.anchorIndices
      && a.detections.count == b.detections.count
  }
}

/// `Loss/classification_loss`, `Loss/localization_loss`, `Loss/regularization_loss`,
/// `Loss/total_loss` of one evaluation image (the evaluator reports their means).
public struct EvaluationLosses: Equatable, Sendable {
  public var classification: Float
  public var localization: Float
  public var regularization: Float
  public var total: Float
  public init(classification: Float, localization: Float, regularization: Float, total: Float) {
    self.classification = classification
    self.localization = localization
    self.regularization = regularization
    self.total = total
  }
}
