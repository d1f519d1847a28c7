/// An object-size bucket: a ground truth belongs to it when `lower <= area <= upper`
/// (both bounds inclusive, as pycocotools compares).
public struct COCOAreaRange: Sendable, Equatable {
  public var label: String
  public var lower: Double
  public var upper: Double

  public init(label: String, lower: Double, upper: Double) {
    self.label = label
    self.lower = lower
    self.upper = upper
  }

  /// True when `area` lies outside `[lower, upper]` (pycocotools: `area < lo or area > hi`).
  @inline(__always)
  func excludes(_ area: Double) -> Bool { area < lower || area > upper }
}
