/// `eval_config { ... }` (eval.proto), defaults applied.
public struct EvalConfig: Equatable, Sendable {
  public var batchSize: Int
  public var numVisualizations: Int
  /// Deprecated; the estimator evaluates the whole eval input (listed in `ignoredFields`).
  public var numExamples: Int
  public var evalIntervalSecs: Int
  public var maxEvals: Int
  /// e.g. `coco_detection_metrics`; empty means the OD API's default (COCO detection metrics).
  public var metricsSet: [String]
  public var useMovingAverages: Bool
  public var minScoreThreshold: Float
  public var maxNumBoxesToVisualize: Int
  public var includeMetricsPerCategory: Bool
  public var retainOriginalImages: Bool
  public var ignoreGroundtruth: Bool
}
