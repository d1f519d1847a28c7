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
