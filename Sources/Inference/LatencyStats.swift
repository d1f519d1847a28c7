/// Throughput and latency percentiles of timed iterations, as the seed's inference script
/// reports them (`SSD320_inference.py`: images/s = mean over iterations of batch/latency;
/// latency average and 90/95/99th percentiles in ms, numpy's default linear interpolation).
public struct LatencyStats: Equatable, Sendable {
  public var batchSize: Int
  /// Seconds per iteration, in run order.
  public var seconds: [Double]

  public init(batchSize: Int, seconds: [Double]) {
    self.batchSize = batchSize
    self.seconds = seconds
  }

  /// Mean over iterations of `batchSize / seconds`.
  public var imagesPerSecond: Double {
    guard !seconds.isEmpty else { return 0 }
    return seconds.map { Double(batchSize) / $0 }.reduce(0, +) / Double(seconds.count)
  }

  public var averageMilliseconds: Double {
    guard !seconds.isEmpty else { return 0 }
    return 1000 * seconds.reduce(0, +) / Double(seconds.count)
  }

  /// The `p`-th percentile (0…100) in ms, numpy's `percentile` with linear interpolation:
  /// position `(n − 1)·p/100` in the sorted values.
  public func percentileMilliseconds(_ p: Double) -> Double {
    guard !seconds.isEmpty else { return 0 }
    let s = seconds.sorted()
    let pos = Double(s.count - 1) * p / 100
    let lo = Int(pos.rounded(.down)), hi = min(lo + 1, s.count - 1)
    return 1000 * (s[lo] + (s[hi] - s[lo]) * (pos - Double(lo)))
  }
}
