/// Builds a COCO ground truth from boxes decoded out of TFRecords, the way the TF Object
/// Detection API evaluator does it (spec §9.1; `coco_tools.ExportSingleImageGroundtruthToCoco`).
///
/// Per image: absolute box = `Float(normalized) * Float(height or width)` in float32; COCO
/// bbox = `[xmin, ymin, xmax - xmin, ymax - ymin]` with the subtractions in float32, then
/// widened to float64; `area = (ymax - ymin) * (xmax - xmin)` in float32 (the box area, not
/// a mask area); `iscrowd` from `image/object/is_crowd`. Annotation ids count from 1 over
/// all boxes in the order added; a box whose class is not among `categories` is skipped but
/// still uses up its id, and an image id added a second time is ignored, both as in the
/// API. The caller decides which boxes to pass (the fork evaluates at most 100 per image).
///
/// ```swift
/// var builder = COCOGroundTruthBuilder(categories: labelMapCategories)
/// builder.addImage(id: 415541, height: 281, width: 478,
///                  normalizedBoxes: [0.27, 0.14, 0.50, 0.36], classes: [44], isCrowd: [false])
/// let gt = builder.groundTruth
/// ```
public struct COCOGroundTruthBuilder: Sendable {
  public let categories: [COCOCategory]
  public private(set) var images: [COCOImage] = []
  public private(set) var annotations: [COCOAnnotation] = []
  /// The id the next box will get.
  public private(set) var nextAnnotationID = 1
  private var seenImages: Set<Int> = []
  private let categorySet: Set<Int>

  public init(categories: [COCOCategory]) {
    self.categories = categories
    categorySet = Set(categories.map(\.id))
  }

  /// Adds one image and its objects.
  ///
  /// - Parameters:
  ///   - normalizedBoxes: N·4 floats, `[ymin, xmin, ymax, xmax]` per object in [0, 1]
  ///     (`image/object/bbox/*` as decoded).
  ///   - classes: N COCO category ids.
  ///   - isCrowd: N flags, or empty when the record has no `is_crowd` (all 0).
  /// - Returns: false (and adds nothing) if `id` was added before.
  @discardableResult
  public mutating func addImage(id: Int, height: Int, width: Int, normalizedBoxes: [Float], classes: [Int],
                                isCrowd: [Bool] = [], fileName: String? = nil) -> Bool {
    let n = classes.count
    precondition(normalizedBoxes.count == 4 * n,
                 "image \(id): \(normalizedBoxes.count) box coordinates for \(n) classes; expected 4 per object")
    precondition(isCrowd.isEmpty || isCrowd.count == n, "image \(id): \(isCrowd.count) is_crowd flags for \(n) objects")
    guard seenImages.insert(id).inserted else { return false }
    images.append(COCOImage(id: id, width: width, height: height, fileName: fileName))
    let h = Float(height), w = Float(width)
    for i in 0..<n where categorySet.contains(classes[i]) {
      let ymin = normalizedBoxes[4 * i] * h, xmin = normalizedBoxes[4 * i + 1] * w
      let ymax = normalizedBoxes[4 * i + 2] * h, xmax = normalizedBoxes[4 * i + 3] * w
      let boxHeight = ymax - ymin, boxWidth = xmax - xmin
      annotations.append(COCOAnnotation(
        id: nextAnnotationID + i, imageID: id, categoryID: classes[i],
        bbox: COCOBox(x: Double(xmin), y: Double(ymin), width: Double(boxWidth), height: Double(boxHeight)),
        area: Double(boxHeight * boxWidth), isCrowd: isCrowd.isEmpty ? false : isCrowd[i]))
    }
    nextAnnotationID += n
    return true
  }

  /// The ground truth built so far.
  public var groundTruth: COCO {
    COCO(images: images, annotations: annotations, categories: categories)
  }
}
