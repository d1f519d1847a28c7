/// What `DetectionLoss.compute` returns for one per-worker batch.
public struct DetectionLossResult {
  /// Σ focal loss · (1/N).
  public var classificationLoss: Float
  /// Σ smooth-L1 · (1/(4N)).
  public var localizationLoss: Float
  /// 0.0004 · Σw²/2 over the conv kernels (0 when no `ParameterStore` was given).
  public var regularizationLoss: Float
  /// classification + localization + regularization.
  public var totalLoss: Float
  /// Matched anchors over the batch.
  public var numMatches: Int
  /// N = max(Σ regression weights over the batch, 1).
  public var normalizer: Float
  /// dTotal/dBoxEncodings, `[B, A, 4]`.
  public var dBoxEncodings: Tensor
  /// dTotal/dClassLogits, `[B, A, numClasses + 1]`.
  public var dClassLogits: Tensor
  /// Per-image targets (for inspection and tests).
  public var targets: [AssignedTargets]
}
