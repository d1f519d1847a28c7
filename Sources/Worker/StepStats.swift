/// What one training step reports (this worker's batch; the coordinator averages over
/// workers in the distributed case).
public struct StepStats: Sendable, Equatable {
  /// The global step the update was made at (the value before the increment).
  public var step: Int
  public var totalLoss: Float
  public var classificationLoss: Float
  public var localizationLoss: Float
  public var regularizationLoss: Float
  /// Learning rate used by the update.
  public var learningRate: Float
  /// Images this worker processed.
  public var images: Int
  /// Matched anchors in this worker's batch.
  public var numMatches: Int
  /// Seconds spent waiting for the input pipeline and computing (the step after the batch
  /// arrived, communication included).
  public var inputSeconds: Double
  public var computeSeconds: Double
  /// Of `computeSeconds`, the wait for the gradient collectives (0 for one worker).
  public var communicationSeconds: Double

  public init(step: Int, totalLoss: Float, classificationLoss: Float, localizationLoss: Float,
              regularizationLoss: Float, learningRate: Float, images: Int, numMatches: Int,
              inputSeconds: Double, computeSeconds: Double, communicationSeconds: Double = 0) {
    self.step = step
    self.totalLoss = totalLoss
    self.classificationLoss = classificationLoss
    self.localizationLoss = localizationLoss
    self.regularizationLoss = regularizationLoss
    self.learningRate = learningRate
    self.images = images
    self.numMatches = numMatches
    self.inputSeconds = inputSeconds
    self.computeSeconds = computeSeconds
    self.communicationSeconds = communicationSeconds
  }

  public var lossesAreFinite: Bool {
    totalLoss.isFinite && classificationLoss.isFinite && localizationLoss.isFinite && regularizationLoss.isFinite
  }
}

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
