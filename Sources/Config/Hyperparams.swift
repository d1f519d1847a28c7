/// Convolution hyperparameters (`Hyperparams` in hyperparams.proto): regularizer,
/// initializer, activation and normalizer applied by a slim arg-scope.
public struct Hyperparams: Equatable, Sendable {
  public enum Op: String, Equatable, Sendable { case conv = "CONV", fc = "FC" }
  public enum Activation: String, Equatable, Sendable { case none = "NONE", relu = "RELU", relu6 = "RELU_6" }
  public enum Regularizer: Equatable, Sendable {
    case l1(weight: Float)
    case l2(weight: Float)
  }
  public enum Initializer: Equatable, Sendable {
    case truncatedNormal(mean: Float, stddev: Float)
    case randomNormal(mean: Float, stddev: Float)
    /// `mode` is FAN_IN, FAN_OUT or FAN_AVG.
    case varianceScaling(factor: Float, uniform: Bool, mode: String)
  }
  /// `batch_norm { decay center scale epsilon train }` (proto defaults 0.999, true, false, 0.001, true).
  public struct BatchNorm: Equatable, Sendable {
    public var decay: Float
    public var center: Bool
    public var scale: Bool
    public var epsilon: Float
    public var train: Bool
  }
  public enum Normalizer: Equatable, Sendable {
    case batchNorm(BatchNorm)
    case groupNorm
  }

  public var op: Op
  /// nil when no regularizer is given (no weight decay).
  public var regularizer: Regularizer?
  /// nil when no initializer is given.
  public var initializer: Initializer?
  public var activation: Activation
  /// nil when neither batch_norm nor group_norm is given (convolutions then get biases).
  public var normalizer: Normalizer?
  public var regularizeDepthwise: Bool

  /// The batch-norm settings, if the normalizer is batch norm.
  public var batchNorm: BatchNorm? {
    if case .batchNorm(let bn) = normalizer { return bn }
    return nil
  }

  /// The L2 regularizer weight, if the regularizer is L2 (slim adds weight·Σw²/2).
  public var l2Weight: Float? {
    if case .l2(let w) = regularizer { return w }
    return nil
  }
}
