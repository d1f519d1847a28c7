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
