import Testing
@testable import Model

@Suite struct CosineDecayWithWarmupTests {
  /// ssd320_full_8gpus: base 0.16, warmup 0.0693312 for 1000 steps, 12,500 total.
  let lr8 = try! CosineDecayWithWarmup(learningRateBase: 0.16, totalSteps: 12_500,
                                       warmupLearningRate: 0.0693312, warmupSteps: 1_000)

  /// The spec's example values. Exact where the float32 arithmetic is exact; lr(500) and
  /// lr(6750) within 1e−7 (lr(6750) is 0.07999999: cos(float(π)/2) = −4.4e−8, as TF gives).
  @Test func specExampleValues() {
    #expect(lr8.learningRate(step: 0) == Float(0.0693312))
    #expect(abs(lr8.learningRate(step: 500) - 0.1146656) <= 1e-7)
    #expect(lr8.learningRate(step: 1_000) == Float(0.16))
    #expect(abs(lr8.learningRate(step: 6_750) - 0.08) <= 1e-7)
    #expect(lr8.learningRate(step: 12_500) == 0)
    #expect(lr8.learningRate(step: 12_501) == 0)
    #expect(lr8.learningRate(step: 50_000) == 0)
    let near = lr8.learningRate(step: 12_499)
    #expect(near > 0 && near < 1e-8)
  }

  /// Warmup is linear and monotone, the cosine part decreasing; 1-GPU config endpoints.
  @Test func shapeOfTheSchedule() throws {
    var prev: Float = 0
    for s in stride(from: 0, to: 1_000, by: 50) {
      let v = lr8.learningRate(step: s)
      #expect(v > prev)
      prev = v
    }
    prev = 1
    for s in stride(from: 1_000, through: 12_500, by: 250) {
      let v = lr8.learningRate(step: s)
      #expect(v < prev)
      prev = v
    }
    let lr1 = try CosineDecayWithWarmup(learningRateBase: 0.02, totalSteps: 100_000, warmupLearningRate: 0.0086664,
                                        warmupSteps: 8_000)
    #expect(lr1.learningRate(step: 0) == Float(0.0086664))
    #expect(lr1.learningRate(step: 8_000) == Float(0.02))
    #expect(abs(lr1.learningRate(step: 54_000) - 0.01) <= 1e-8)
  }

  /// hold_base_rate_steps > 0 keeps the base rate through warmup + hold, then decays.
  @Test func holdBaseRate() throws {
    let h = try CosineDecayWithWarmup(learningRateBase: 0.1, totalSteps: 300, warmupLearningRate: 0.01,
                                      warmupSteps: 100, holdBaseRateSteps: 100)
    #expect(h.learningRate(step: 150) == Float(0.1))
    #expect(h.learningRate(step: 200) == Float(0.1))
    #expect(abs(h.learningRate(step: 250) - 0.05) <= 1e-8)
    #expect(h.learningRate(step: 300) == 0)
  }

  @Test func invalidSchedulesThrow() {
    #expect(throws: CosineDecayWithWarmup.ScheduleError.self) {
      try CosineDecayWithWarmup(learningRateBase: 0.1, totalSteps: 10, warmupSteps: 20)
    }
    #expect(throws: CosineDecayWithWarmup.ScheduleError.self) {
      try CosineDecayWithWarmup(learningRateBase: 0.01, totalSteps: 100, warmupLearningRate: 0.1, warmupSteps: 10)
    }
    #expect(throws: CosineDecayWithWarmup.ScheduleError.self) {
      try CosineDecayWithWarmup(learningRateBase: 0.1, totalSteps: 100, warmupSteps: 100)
    }
  }
}
