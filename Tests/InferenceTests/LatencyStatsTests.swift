import Inference
import Testing

/// Throughput and percentiles as the seed's inference script computes them (numpy values
/// worked out by hand: np.percentile([1, 2, 3, 4], 90) = 3.7, [10] → 10).
@Suite struct LatencyStatsTests {
  @Test func percentilesInterpolateLikeNumpy() {
    let s = LatencyStats(batchSize: 2, seconds: [0.004, 0.001, 0.003, 0.002])
    #expect(abs(s.percentileMilliseconds(90) - 3.7) < 1e-9)
    #expect(abs(s.percentileMilliseconds(50) - 2.5) < 1e-9)
    #expect(abs(s.percentileMilliseconds(100) - 4) < 1e-9)
    #expect(abs(s.averageMilliseconds - 2.5) < 1e-9)
    // mean of 2/0.004, 2/0.001, 2/0.003, 2/0.002
    #expect(abs(s.imagesPerSecond - (500 + 2000 + 2000.0 / 3 + 1000) / 4) < 1e-9)
    let one = LatencyStats(batchSize: 1, seconds: [0.01])
    #expect(abs(one.percentileMilliseconds(99) - 10) < 1e-9)
  }
}
