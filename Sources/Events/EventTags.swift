/// The tags of the recipe's TensorBoard data (what `model_main.py`'s Estimator writes for
/// SSD320 v1.2; docs/model_main.md lists where each comes from and what we do not write),
/// and our own under `perf/`.
public enum EventTags {
  // MARK: Training: MODEL_DIR/events.out.tfevents.*

  /// Loss parts: `ssd_meta_arch.loss` names them in the `Loss` name scope, `model_lib`
  /// adds the regularization and total losses.
  public static let classificationLoss = "Loss/classification_loss"
  public static let localizationLoss = "Loss/localization_loss"
  public static let regularizationLoss = "Loss/regularization_loss"
  public static let totalLoss = "Loss/total_loss"
  public static let losses = [localizationLoss, classificationLoss, regularizationLoss, totalLoss]
  /// The optimizer's learning-rate tensor (`optimizer_builder` → `tf.summary.scalar(var.op.name)`).
  public static let learningRate = "learning_rate"
  /// `optimize_loss`'s loss summary (the total loss).
  public static let loss = "loss"
  /// `optimize_loss`'s global gradient norm (before clipping).
  public static let gradientNorm = "global_norm/gradient_norm"
  /// The Estimator's `StepCounterHook`.
  public static let globalStepPerSecond = "global_step/sec"
  /// `ssd_meta_arch._summarize_target_assignment` (family `TargetAssignment` inside the
  /// `Loss` name scope).
  public static let avgNumGroundtruthBoxesPerImage = "TargetAssignment/Loss/TargetAssignment/AvgNumGroundtruthBoxesPerImage"
  public static let avgNumPositiveAnchorsPerImage = "TargetAssignment/Loss/TargetAssignment/AvgNumPositiveAnchorsPerImage"
  public static let avgNumNegativeAnchorsPerImage = "TargetAssignment/Loss/TargetAssignment/AvgNumNegativeAnchorsPerImage"
  public static let avgNumIgnoredAnchorsPerImage = "TargetAssignment/Loss/TargetAssignment/AvgNumIgnoredAnchorsPerImage"

  // MARK: Ours (training): perf/…

  /// Training images per second over the steps since the previous logged step.
  public static let imagesPerSecond = "perf/images_per_sec"
  /// Wall time of a step, and its split on the critical path (the worker with the most
  /// compute): compute, exposed communication (collectives nothing overlaps), input wait.
  public static let stepMilliseconds = "perf/step_ms"
  public static let stepMillisecondsCompute = "perf/step_ms_compute"
  public static let stepMillisecondsExposedComm = "perf/step_ms_exposed_comm"
  public static let stepMillisecondsInput = "perf/step_ms_input"
  /// The three parts of the split, in stacking order.
  public static let stepSplit = [stepMillisecondsCompute, stepMillisecondsExposedComm, stepMillisecondsInput]

  /// A per-worker copy of a `perf/` tag: `perf/worker_3/step_ms_compute`.
  public static func perWorker(_ tag: String, worker: Int) -> String {
    precondition(tag.hasPrefix("perf/"), "per-worker tags are perf/ tags, got \(tag)")
    return "perf/worker_\(worker)/" + tag.dropFirst("perf/".count)
  }

  /// The worker and the job-level tag of a per-worker tag (`perf/worker_3/step_ms_input` →
  /// (3, `perf/step_ms_input`)), nil for other tags.
  public static func parsePerWorker(_ tag: String) -> (worker: Int, tag: String)? {
    let parts = tag.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0] == "perf", parts[1].hasPrefix("worker_"),
          let w = Int(parts[1].dropFirst("worker_".count)), w >= 0 else { return nil }
    return (w, "perf/" + parts[2])
  }

  // MARK: Evaluation: MODEL_DIR/eval_<name>/events.out.tfevents.*

  /// The 12 COCO metrics (`coco_evaluation.CocoDetectionEvaluator`), pycocotools' order.
  public static let cocoMetrics = [
    "DetectionBoxes_Precision/mAP", "DetectionBoxes_Precision/mAP@.50IOU", "DetectionBoxes_Precision/mAP@.75IOU",
    "DetectionBoxes_Precision/mAP (small)", "DetectionBoxes_Precision/mAP (medium)", "DetectionBoxes_Precision/mAP (large)",
    "DetectionBoxes_Recall/AR@1", "DetectionBoxes_Recall/AR@10", "DetectionBoxes_Recall/AR@100",
    "DetectionBoxes_Recall/AR@100 (small)", "DetectionBoxes_Recall/AR@100 (medium)", "DetectionBoxes_Recall/AR@100 (large)",
  ]

  /// Per-category AP@[.5:.95] (`include_metrics_per_category`): the label map's name as it is.
  public static func perCategoryAP(_ categoryName: String) -> String {
    "DetectionBoxes_PerformanceByCategory/mAP/" + categoryName
  }

  /// The `i`-th side-by-side picture: `VisualizeSingleFrameDetections` names the metric
  /// `Detections_Left_Groundtruth_Right/<i>`, and the Estimator's `_write_dict_to_summary`
  /// appends the index of the value inside that image summary (always 0).
  public static func detectionImage(_ index: Int) -> String { "Detections_Left_Groundtruth_Right/\(index)/0" }
  public static let detectionImagePrefix = "Detections_Left_Groundtruth_Right/"
}
