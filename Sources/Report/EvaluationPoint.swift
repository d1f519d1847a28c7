/// The COCO metrics of one evaluation, at a global step.
public struct EvaluationPoint: Equatable, Sendable {
  public struct CategoryAP: Equatable, Sendable {
    /// The COCO id; -1 when the source has none (per-category tags of event files).
    public var id: Int
    public var name: String
    /// AP@[.50:.95]; -1 when the class has no ground truth in the evaluated images.
    public var ap: Double
    /// AP@.50; NaN when the source has none (event files).
    public var ap50: Double

    /// Whether the class occurs in the evaluated ground truth (pycocotools writes -1 for
    /// classes without ground-truth boxes).
    public var occursInGroundTruth: Bool { ap != -1 }
  }

  public var step: Int
  /// Evaluation name (`validation_data`, `training_data`, or `log` when read from DLLogger).
  public var name: String
  /// Metric name without the `DetectionBoxes_` prefix (`Precision/mAP`, `Recall/AR@100`, …)
  /// → value.
  public var metrics: [String: Double]
  /// Per-category AP (empty when the source has none, e.g. DLLogger lines).
  public var perCategory: [CategoryAP]
  /// Evaluation-mode losses under the recipe's names (`Loss/total_loss`, …), when known.
  public var losses: [String: Double] = [:]
  /// Where it was read from.
  public var source: String

  /// The 12 COCO metric names in pycocotools' order (spec §9.3, DLLogger spelling).
  public static let metricNames = [
    "Precision/mAP", "Precision/mAP@.50IOU", "Precision/mAP@.75IOU", "Precision/mAP (small)",
    "Precision/mAP (medium)", "Precision/mAP (large)", "Recall/AR@1", "Recall/AR@10", "Recall/AR@100",
    "Recall/AR@100 (small)", "Recall/AR@100 (medium)", "Recall/AR@100 (large)",
  ]

  /// `name` without a leading `DetectionBoxes_`.
  public static func canonical(_ name: String) -> String {
    name.hasPrefix("DetectionBoxes_") ? String(name.dropFirst("DetectionBoxes_".count)) : name
  }
}
