import Foundation
import Testing
@testable import Config

/// The cosine-with-warmup schedule against spec §7's worked values for ssd320_full_8gpus.
struct LearningRateScheduleTests {
  let cosine = LearningRate.CosineDecay(learningRateBase: 0.16, totalSteps: 12_500, warmupLearningRate: 0.0693312,
                                        warmupSteps: 1_000, holdBaseRateSteps: 0)

  @Test func specExamples() {
    // Exact at the warmup start, the warmup end (cos 0 = 1) and the end (cos π rounds to −1).
    #expect(cosine.learningRate(atStep: 0) == Float(0.0693312))
    #expect(cosine.learningRate(atStep: 1_000) == Float(0.16))
    #expect(cosine.learningRate(atStep: 12_500) == 0)
    #expect(cosine.learningRate(atStep: 12_501) == 0)
    // Mid-warmup and mid-decay within 2 ulps (float32 rounding of slope and π).
    #expect(abs(cosine.learningRate(atStep: 500) - 0.1146656) <= 2 * Float(0.1146656).ulp)
    #expect(abs(cosine.learningRate(atStep: 6_750) - 0.08) <= 2 * Float(0.08).ulp)
  }

  @Test func matchesDoublePrecisionFormula() {
    // Naive reference in double. Float32 evaluation: within 1e-6 relative plus 1e-8 absolute
    // (near the end 1 + cos(angle) cancels, and the float32 angle carries ~1e-7 error).
    for step in stride(from: 0, through: 12_600, by: 37) {
      let s = Double(step)
      let expected: Double
      if step > 12_500 {
        expected = 0
      } else if step < 1_000 {
        expected = Double(Float(0.0693312)) + s * (Double(Float(0.16)) - Double(Float(0.0693312))) / 1_000
      } else {
        expected = 0.5 * Double(Float(0.16)) * (1 + cos(Double.pi * (s - 1_000) / 11_500))
      }
      let got = Double(cosine.learningRate(atStep: step))
      #expect(abs(got - expected) <= 1e-6 * abs(expected) + 1e-8, "step \(step): \(got) vs \(expected)")
    }
  }

  @Test func holdKeepsBaseRate() {
    let held = LearningRate.CosineDecay(learningRateBase: 0.1, totalSteps: 100, warmupLearningRate: 0.01,
                                        warmupSteps: 10, holdBaseRateSteps: 20)
    #expect(held.learningRate(atStep: 10) == 0.1)
    #expect(held.learningRate(atStep: 30) == 0.1)
    #expect(held.learningRate(atStep: 31) < 0.1)
    #expect(held.learningRate(atStep: 100) == 0)
  }
}
