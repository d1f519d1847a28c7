import Foundation

/// The Object Detection API's `cosine_decay_with_warmup` learning rate (spec §7), in
/// TensorFlow's dtypes: the step is cast to float32; `0.5·base` and the warmup slope are
/// computed in double from the config's float32 values and rounded once; the rest is float32.
/// ```
/// s > total                 → 0
/// s < warmup                → float(slope)·s + warmupLR,  slope = (base − warmupLR)/warmup
/// hold > 0 and s ≤ warmup + hold → base
/// otherwise                 → float(0.5·base) · (1 + cos((π·((s − warmup) − hold)) / (total − warmup − hold)))
/// ```
/// Example (8 GPUs: base 0.16, warmup 0.0693312, 1000 warmup steps, 12,500 total):
/// lr(0) = 0.0693312, lr(500) = 0.1146656, lr(1000) = 0.16, lr(6750) ≈ 0.08, lr(12500) = 0.
public struct CosineDecayWithWarmup {
  public let learningRateBase: Float
  public let totalSteps: Int
  public let warmupLearningRate: Float
  public let warmupSteps: Int
  public let holdBaseRateSteps: Int

  /// Problems TensorFlow raises for (or cannot compute) a schedule.
  public enum ScheduleError: Error, CustomStringConvertible {
    case totalBeforeWarmup(totalSteps: Int, warmupSteps: Int)
    case baseBelowWarmup(base: Float, warmup: Float)
    case emptyDecay(totalSteps: Int, warmupSteps: Int, holdSteps: Int)

    public var description: String {
      switch self {
      case .totalBeforeWarmup(let t, let w):
        return "cosine_decay_learning_rate: total_steps \(t) is smaller than warmup_steps \(w); raise total_steps or lower warmup_steps"
      case .baseBelowWarmup(let b, let w):
        return "cosine_decay_learning_rate: learning_rate_base \(b) is smaller than warmup_learning_rate \(w); fix the config"
      case .emptyDecay(let t, let w, let h):
        return "cosine_decay_learning_rate: total_steps \(t) leaves no decay steps after warmup \(w) + hold \(h) (the cosine would divide by 0); raise total_steps"
      }
    }
  }

  public init(learningRateBase: Float, totalSteps: Int, warmupLearningRate: Float = 0, warmupSteps: Int = 0,
              holdBaseRateSteps: Int = 0) throws {
    if totalSteps < warmupSteps { throw ScheduleError.totalBeforeWarmup(totalSteps: totalSteps, warmupSteps: warmupSteps) }
    if warmupSteps > 0 && learningRateBase < warmupLearningRate {
      throw ScheduleError.baseBelowWarmup(base: learningRateBase, warmup: warmupLearningRate)
    }
    if totalSteps - warmupSteps - holdBaseRateSteps <= 0 {
      throw ScheduleError.emptyDecay(totalSteps: totalSteps, warmupSteps: warmupSteps, holdSteps: holdBaseRateSteps)
    }
    self.learningRateBase = learningRateBase
    self.totalSteps = totalSteps
    self.warmupLearningRate = warmupLearningRate
    self.warmupSteps = warmupSteps
    self.holdBaseRateSteps = holdBaseRateSteps
  }

  /// The learning rate used by the update at global step `step` (the value before the increment).
  public func learningRate(step: Int) -> Float {
    if step > totalSteps { return 0 }
    let s = Float(step)
    if warmupSteps > 0 && step < warmupSteps {
      let slope = (Double(learningRateBase) - Double(warmupLearningRate)) / Double(warmupSteps)
      return Float(slope) * s + warmupLearningRate
    }
    if holdBaseRateSteps > 0 && !(step > warmupSteps + holdBaseRateSteps) { return learningRateBase }
    let progress = (s - Float(warmupSteps)) - Float(holdBaseRateSteps)
    let angle = (Float(Double.pi) * progress) / Float(Double(totalSteps - warmupSteps - holdBaseRateSteps))
    return Float(0.5 * Double(learningRateBase)) * (1 + Foundation.cos(angle))
  }
}
