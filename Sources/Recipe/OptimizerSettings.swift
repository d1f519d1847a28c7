import Config
import Model

/// `train_config.optimizer` (spec §7): momentum SGD with the cosine-decay-with-warmup
/// learning rate; anything else is a `RecipeError` naming the field.
public struct OptimizerSettings {
  public var schedule: CosineDecayWithWarmup
  public var momentum: Float

  public init(pipeline config: PipelineConfig) throws {
    let file = config.file
    let opt = config.trainConfig.optimizer
    guard let momentum = opt.momentumOptimizerValue else {
      throw RecipeError(file: file, field: "train_config.optimizer", message: "only momentum_optimizer is implemented")
    }
    self.momentum = momentum
    if opt.useMovingAverage {
      throw RecipeError(file: file, field: "train_config.optimizer.use_moving_average",
                        message: "moving averages of weights are not implemented; set it to false")
    }
    guard case .cosineDecay(let c) = opt.learningRate else {
      throw RecipeError(file: file, field: "train_config.optimizer.momentum_optimizer.learning_rate",
                        message: "only cosine_decay_learning_rate is implemented")
    }
    do {
      schedule = try CosineDecayWithWarmup(learningRateBase: c.learningRateBase, totalSteps: c.totalSteps,
                                           warmupLearningRate: c.warmupLearningRate, warmupSteps: c.warmupSteps,
                                           holdBaseRateSteps: c.holdBaseRateSteps)
    } catch {
      throw RecipeError(file: file, field: "train_config.optimizer.momentum_optimizer.learning_rate", message: "\(error)")
    }
  }
}
