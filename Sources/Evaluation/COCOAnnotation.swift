/// One ground-truth object: an entry of a COCO instances file's `annotations` list.
///
/// `area` is used as given (COCO files hold the segmentation mask area; the TF Object
/// Detection API evaluator uses the box area, spec §9.1); it decides the small/medium/large
/// split. A crowd annotation (`isCrowd`) is always ignored and may absorb any number of
/// detections; its IoU denominator is the detection's area. `id` must be unique and
/// non-zero, exactly as pycocotools assumes (see `COCO`).
public struct COCOAnnotation: Sendable, Equatable {
  public var id: Int
  public var imageID: Int
  public var categoryID: Int
  public var bbox: COCOBox
  public var area: Double
  public var isCrowd: Bool

  public init(id: Int, imageID: Int, categoryID: Int, bbox: COCOBox, area: Double, isCrowd: Bool = false) {
    self.id = id
    self.imageID = imageID
    self.categoryID = categoryID
    self.bbox = bbox
    self.area = area
    self.isCrowd = isCrowd
  }
}
