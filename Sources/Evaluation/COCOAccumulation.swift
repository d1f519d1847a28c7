/// pycocotools' `eval` dictionary after `accumulate()`: precision and recall for every
/// IoU threshold, recall threshold, category, area range and detection limit.
///
/// `precision` is [T, R, K, A, M] row-major, `recall` is [T, K, A, M]; -1 where a category
/// has no non-ignored ground truth in that area range (or no image has anything).
public struct COCOAccumulation: Sendable, Equatable {
  /// T, R, K, A, M.
  public let counts: (t: Int, r: Int, k: Int, a: Int, m: Int)
  public var precision: [Double]
  public var recall: [Double]

  public init(t: Int, r: Int, k: Int, a: Int, m: Int) {
    counts = (t, r, k, a, m)
    precision = [Double](repeating: -1, count: t * r * k * a * m)
    recall = [Double](repeating: -1, count: t * k * a * m)
  }

  /// Flat index of precision[t, r, k, a, m].
  @inline(__always)
  public func precisionIndex(t: Int, r: Int, k: Int, a: Int, m: Int) -> Int {
    (((t * counts.r + r) * counts.k + k) * counts.a + a) * counts.m + m
  }

  /// Flat index of recall[t, k, a, m].
  @inline(__always)
  public func recallIndex(t: Int, k: Int, a: Int, m: Int) -> Int {
    ((t * counts.k + k) * counts.a + a) * counts.m + m
  }

  public static func == (lhs: COCOAccumulation, rhs: COCOAccumulation) -> Bool {
    lhs.counts == rhs.counts && lhs.precision == rhs.precision && lhs.recall == rhs.recall
  }
}
