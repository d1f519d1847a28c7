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

/// `optimizer { <kind>_optimizer { learning_rate { ... } ... } use_moving_average ... }`.
public struct OptimizerConfig: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    /// `momentum_optimizer` (TF MomentumOptimizer, no Nesterov).
    case momentum(momentum: Float)
    case rmsProp(momentum: Float, decay: Float, epsilon: Float)
    case adam
  }
  public var kind: Kind
  public var learningRate: LearningRate
  public var useMovingAverage: Bool
  public var movingAverageDecay: Float

  /// `momentum_optimizer_value`, if the optimizer is the momentum optimizer.
  public var momentumOptimizerValue: Float? {
    if case .momentum(let m) = kind { return m }
    return nil
  }
}

/// `learning_rate { <schedule> { ... } }` (optimizer.proto).
public enum LearningRate: Equatable, Sendable {
  case constant(Float)
  case exponentialDecay(ExponentialDecay)
  case manualStep(ManualStep)
  case cosineDecay(CosineDecay)

  public struct ExponentialDecay: Equatable, Sendable {
    public var initialLearningRate: Float
    public var decaySteps: Int
    public var decayFactor: Float
    public var staircase: Bool
    public var burninLearningRate: Float
    public var burninSteps: Int
    public var minLearningRate: Float
  }

  public struct ManualStep: Equatable, Sendable {
    public var initialLearningRate: Float
    /// (step, learning rate) pairs in the order written.
    public var schedule: [(step: Int, learningRate: Float)]
    public var warmup: Bool

    public static func == (a: ManualStep, b: ManualStep) -> Bool {
      a.initialLearningRate == b.initialLearningRate && a.warmup == b.warmup
        && a.schedule.map(\.step) == b.schedule.map(\.step)
        && a.schedule.map(\.learningRate) == b.schedule.map(\.learningRate)
    }
  }

  /// `cosine_decay_learning_rate` (defaults base 0.002, total 4,000,000, warmup 0.0002 over
  /// 10,000 steps, hold 0).
  public struct CosineDecay: Equatable, Sendable {
    public var learningRateBase: Float
    public var totalSteps: Int
    public var warmupLearningRate: Float
    public var warmupSteps: Int
    public var holdBaseRateSteps: Int
  }

  /// The cosine schedule, if that is the schedule.
  public var cosineDecay: CosineDecay? {
    if case .cosineDecay(let c) = self { return c }
    return nil
  }
}
