/// COCOeval's parameters for bbox evaluation (pycocotools `Params.setDetParams`).
///
/// The defaults are exact float64 copies of pycocotools' values: IoU thresholds
/// `numpy.linspace(0.5, 0.95, 10)` (so the 9th is 0.8999999999999999), recall thresholds
/// `numpy.linspace(0, 1, 101)`, `maxDets` [1, 10, 100], area ranges all [0, 1e10],
/// small [0, 32²], medium [32², 96²], large [96², 1e10]. Categories are always evaluated
/// separately (`useCats = 1`). `COCOEvaluator.summarize` assumes these defaults, as
/// pycocotools' `summarize` does.
public struct COCOParams: Sendable, Equatable {
  /// T thresholds; a detection matches a ground truth at threshold t when IoU >= t.
  public var iouThresholds: [Double]
  /// R recall levels at which precision is sampled.
  public var recallThresholds: [Double]
  /// M limits on detections per image, ascending (the evaluator sorts them).
  public var maxDetections: [Int]
  /// A object-size buckets.
  public var areaRanges: [COCOAreaRange]

  public init(iouThresholds: [Double] = COCOParams.numpyLinspace(0.5, 0.95, count: 10),
              recallThresholds: [Double] = COCOParams.numpyLinspace(0.0, 1.0, count: 101),
              maxDetections: [Int] = [1, 10, 100],
              areaRanges: [COCOAreaRange] = [
                COCOAreaRange(label: "all", lower: 0, upper: 1e10),
                COCOAreaRange(label: "small", lower: 0, upper: 1024),
                COCOAreaRange(label: "medium", lower: 1024, upper: 9216),
                COCOAreaRange(label: "large", lower: 9216, upper: 1e10),
              ]) {
    self.iouThresholds = iouThresholds
    self.recallThresholds = recallThresholds
    self.maxDetections = maxDetections.sorted()
    self.areaRanges = areaRanges
  }

  /// `numpy.linspace(start, stop, count)` (endpoint included), value for value:
  /// `step = (stop - start) / (count - 1)`, `y[i] = Double(i) * step + start`, and the last
  /// entry is `stop` itself.
  public static func numpyLinspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
    precondition(count >= 1, "numpyLinspace needs at least one point, got \(count)")
    if count == 1 { return [start] }
    let div = Double(count - 1)
    let delta = stop - start
    let step = delta / div
    var y = (0..<count).map { Double($0) }
    if step == 0 {
      y = y.map { ($0 / div) * delta + start }
    } else {
      y = y.map { $0 * step + start }
    }
    y[count - 1] = stop
    return y
  }
}
