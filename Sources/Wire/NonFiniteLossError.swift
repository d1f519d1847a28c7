/// A training step produced a NaN or infinite loss: the run stops, no update is applied and
/// no checkpoint is written from this state.
public struct NonFiniteLossError: Error, CustomStringConvertible {
  public var stats: StepStats
  public init(stats: StepStats) { self.stats = stats }
  public var description: String {
    "non-finite loss at step \(stats.step): total \(stats.totalLoss), classification \(stats.classificationLoss), "
      + "localization \(stats.localizationLoss), regularization \(stats.regularizationLoss) (lr \(stats.learningRate)); "
      + "training stopped without applying the update or writing a checkpoint. Lower the learning rate or check the "
      + "input data, then resume from the last checkpoint in model_dir"
  }
}
