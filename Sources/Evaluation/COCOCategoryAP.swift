/// Average precision of one category at area "all", 100 detections: `ap` over IoU
/// .50:.95 and `ap50` at IoU .50, each the mean of the precision samples > -1 (-1 if the
/// category has no ground truth).
public struct COCOCategoryAP: Sendable, Equatable {
  public var id: Int
  public var name: String
  public var ap: Double
  public var ap50: Double

  public init(id: Int, name: String, ap: Double, ap50: Double) {
    self.id = id
    self.name = name
    self.ap = ap
    self.ap50 = ap50
  }
}
