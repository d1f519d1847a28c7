/// `train_config { ... }` (train.proto), every field with its proto default applied.
/// Fields the fork's `model_main.py` path does not use are still here (they parse) and are
/// listed in `PipelineConfig.ignoredFields` when the file sets them.
public struct TrainConfig: Equatable, Sendable {
  /// Images per worker per step (default 32).
  public var batchSize: Int
  /// Augmentations in the order written.
  public var dataAugmentationOptions: [PreprocessingStep]
  public var syncReplicas: Bool
  public var keepCheckpointEveryNHours: Float
  public var optimizer: OptimizerConfig
  public var gradientClippingByNorm: Float
  /// Empty when absent.
  public var fineTuneCheckpoint: String
  /// e.g. `classification` or `detection`; empty when absent.
  public var fineTuneCheckpointType: String
  public var fromDetectionCheckpoint: Bool
  public var loadAllDetectionCheckpointVars: Bool
  /// 0 means "not set" (then `--num_train_steps` must give it).
  public var numSteps: Int
  public var startupDelaySteps: Float
  public var biasGradMultiplier: Float
  public var updateTrainableVariables: [String]
  public var freezeVariables: [String]
  public var replicasToAggregate: Int
  public var batchQueueCapacity: Int
  public var numBatchQueueThreads: Int
  public var prefetchQueueCapacity: Int
  public var mergeMultipleLabelBoxes: Bool
  public var useMulticlassScores: Bool
  public var addRegularizationLoss: Bool
  /// Deprecated here; the input reader's `max_number_of_boxes` applies.
  public var maxNumberOfBoxes: Int
  public var unpadGroundtruthTensors: Bool
  public var retainOriginalImages: Bool
  public var useBfloat16: Bool
  public var summarizeGradients: Bool
}
