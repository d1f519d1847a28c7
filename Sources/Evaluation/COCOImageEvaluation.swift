/// The matching of one image's detections and ground truths of one category, at every
/// area range and IoU threshold: the information of pycocotools' `evalImgs` entries for
/// this (image, category) and all A area ranges (it holds `None` where both lists are
/// empty; the evaluator simply has no entry then).
///
/// Detections are in evaluation order (score descending, stable, at most
/// `params.maxDetections.last`). For area range `a`, IoU threshold `t` and detection `d`
/// the flags at `(a * T + t) * D + d` say whether the detection is matched (pycocotools'
/// `dtMatches != 0`) and whether it is ignored (`dtIgnore`).
public struct COCOImageEvaluation: Sendable, Equatable {
  public let imageID: Int
  public let categoryID: Int
  /// Detection ids (position in the results list + 1), in evaluation order. D entries.
  public let detectionIDs: [Int]
  /// Detection scores, in evaluation order. D entries.
  public let detectionScores: [Double]
  /// Ground-truth annotation ids in pycocotools' `_gts` order (not re-sorted per area).
  public let groundTruthIDs: [Int]
  /// Per area range: how many ground truths are not ignored (`gtIgnore == 0`).
  public let nonIgnoredGroundTruthCount: [Int]
  /// Number of IoU thresholds T.
  let thresholdCount: Int
  /// A·T·D flag bytes: bit 0 matched, bit 1 ignored.
  let flags: [UInt8]

  static let matchedBit: UInt8 = 1
  static let ignoredBit: UInt8 = 2

  /// True when detection `d` is matched to a ground truth (with non-zero id) at area range
  /// `area`, IoU threshold index `threshold`.
  public func isMatched(area: Int, threshold: Int, detection d: Int) -> Bool {
    flags[(area * thresholdCount + threshold) * detectionIDs.count + d] & Self.matchedBit != 0
  }

  /// True when detection `d` is ignored at area range `area`, IoU threshold index `threshold`
  /// (matched to an ignored ground truth, or unmatched with its area outside the range).
  public func isIgnored(area: Int, threshold: Int, detection d: Int) -> Bool {
    flags[(area * thresholdCount + threshold) * detectionIDs.count + d] & Self.ignoredBit != 0
  }
}
