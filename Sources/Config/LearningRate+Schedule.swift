import Foundation

extension LearningRate.CosineDecay {
  /// The learning rate at global step `step` (the step before the update), computed in
  /// Float32 in the order the fork's `learning_schedules.cosine_decay_with_warmup` graph does:
  /// ```
  /// s > total_steps:                  0
  /// s < warmup_steps:                 f32(slope)·s + warmup_lr,  slope = (base − warmup_lr)/warmup_steps in double
  /// hold > 0 and s ≤ warmup + hold:   base
  /// otherwise:                        f32(base/2)·(1 + cos(f32(π)·(s − warmup − hold) / f32(total − warmup − hold)))
  /// ```
  /// (lr is exactly `base` at s = warmup_steps and 0 at s = total_steps.) `cos` is the C
  /// library's `cosf`; TensorFlow's Eigen kernel may differ in the last bit.
  public func learningRate(atStep step: Int) -> Float {
    if step > totalSteps { return 0 }
    if warmupSteps > 0 && step < warmupSteps {
      let slope = (Double(learningRateBase) - Double(warmupLearningRate)) / Double(warmupSteps)
      return Float(slope) * Float(step) + warmupLearningRate
    }
    if holdBaseRateSteps > 0 && step <= warmupSteps + holdBaseRateSteps { return learningRateBase }
    let elapsed = Float(step) - Float(warmupSteps) - Float(holdBaseRateSteps)
    let span = Float(Double(totalSteps - warmupSteps - holdBaseRateSteps))
    let angle = Float(Double.pi) * elapsed / span
    return Float(0.5 * Double(learningRateBase)) * (1 + cos(angle))
  }
}
