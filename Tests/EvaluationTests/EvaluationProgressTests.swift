import Testing
@testable import Evaluation

/// Progress of a long evaluation: images done, images/s, ETA; nothing for a short one.
struct EvaluationProgressTests {
  @Test func shortEvaluationsPrintNothing() {
    var p = EvaluationProgress(total: 100, every: 15, now: 0)
    #expect(p.update(done: 50, now: 5) == nil)
    #expect(p.update(done: 100, now: 10) == nil)
  }

  @Test func longEvaluationsPrintEveryIntervalAndAtTheEnd() {
    var p = EvaluationProgress(total: 5000, every: 15, now: 100)
    #expect(p.update(done: 100, now: 110) == nil)
    #expect(p.update(done: 240, now: 116) == "evaluation: 240/5000 images (4%), 15.0 images/s, ETA 5m17s")
    #expect(p.update(done: 300, now: 120) == nil)
    #expect(p.update(done: 720, now: 148) == "evaluation: 720/5000 images (14%), 15.0 images/s, ETA 4m45s")
    #expect(p.update(done: 5000, now: 433.5) == "evaluation: 5000/5000 images (100%), 15.0 images/s, done in 5m34s")
  }

  @Test func durations() {
    #expect(EvaluationProgress.duration(42.4) == "42s")
    #expect(EvaluationProgress.duration(248) == "4m08s")
    #expect(EvaluationProgress.duration(3725) == "1h02m05s")
  }
}
