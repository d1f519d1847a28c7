import Config
import Data
import Model

/// Everything an SSD `pipeline.config` builds, in one place so that every rank, the
/// coordinator and `ssd detect` derive the same objects from the same file: the network's
/// `SSDConfig`, its anchors, the loss, the post-processor, the preprocessing of training and
/// evaluation images, the learning-rate schedule and the momentum. Each part has its own
/// builder (`SSDConfig(pipeline:)`, `DetectionLoss(pipeline:anchors:)`,
/// `PostProcessor(pipeline:anchors:)`, `PreprocessingConfig.training/evaluation(pipeline:model:)`,
/// `OptimizerSettings(pipeline:)`), usable alone (inference needs no loss).
public struct SSDRecipe {
  public var model: SSDConfig
  /// `[numAnchors, 4]` flat normalized (spec §4).
  public var anchors: [Float]
  public var loss: DetectionLoss
  public var postProcessor: PostProcessor
  public var trainPreprocessing: PreprocessingConfig
  public var evalPreprocessing: PreprocessingConfig
  public var schedule: CosineDecayWithWarmup
  public var momentum: Float
  /// Images per worker per step (`train_config.batch_size`).
  public var batchSize: Int

  /// Maps `config` (spec §2–§8 fields). Throws `RecipeError` or a located `ConfigError`
  /// naming the config field when the config asks for something this trainer does not
  /// implement.
  public init(config: PipelineConfig) throws {
    model = try SSDConfig(pipeline: config)
    try model.checkBuildable(config)
    anchors = model.anchors()
    loss = try DetectionLoss(pipeline: config, anchors: anchors)
    postProcessor = try PostProcessor(pipeline: config, anchors: anchors)
    trainPreprocessing = try .training(pipeline: config, model: model)
    evalPreprocessing = .evaluation(pipeline: config, model: model)
    let optimizer = try OptimizerSettings(pipeline: config)
    schedule = optimizer.schedule
    momentum = optimizer.momentum
    batchSize = config.trainConfig.batchSize
  }
}
