/// One detection training/eval sample as stored in a COCO TFRecord (spec 1.2, 1.4): image
/// metadata, the encoded JPEG and N objects. Boxes are normalized to [0, 1] by image width
/// and height; all per-object arrays have `objectCount` entries except `classLabels`
/// (empty in legacy files without `image/object/class/label`), `classTexts` (empty when the
/// file has no text) and `area` (empty when absent).
public struct DetectionExample: Sendable, Equatable {
  public var height: Int
  public var width: Int
  public var filename: String
  public var sourceId: String
  /// Lowercase hex SHA-256 of `encodedImage`, as stored in `image/key/sha256`.
  public var keySHA256: String
  /// The stored image file bytes (`image/encoded`).
  public var encodedImage: [UInt8]
  public var format: String
  /// [N] each, normalized coordinates (float32 as stored).
  public var xmin: [Float]
  public var ymin: [Float]
  public var xmax: [Float]
  public var ymax: [Float]
  /// [N] resolved class ids in 1...numClasses (from text via the label map when text is
  /// present and a label map was given, else from `image/object/class/label`).
  public var classes: [Int]
  /// `image/object/class/label` as stored ([N] or empty).
  public var classLabels: [Int64]
  /// `image/object/class/text` as stored ([N] or empty).
  public var classTexts: [String]
  /// [N] `image/object/is_crowd` (false when the feature is absent).
  public var isCrowd: [Bool]
  /// `image/object/area` as stored ([N] or empty).
  public var area: [Float]
  /// Whether the example carries `image/object/*` keys at all (the current converter omits
  /// them for images without annotations; the legacy one writes empty lists).
  public var hasObjectFeatures: Bool

  public init(height: Int, width: Int, filename: String, sourceId: String, keySHA256: String,
              encodedImage: [UInt8], format: String = "jpeg",
              xmin: [Float] = [], ymin: [Float] = [], xmax: [Float] = [], ymax: [Float] = [],
              classes: [Int] = [], classLabels: [Int64] = [], classTexts: [String] = [],
              isCrowd: [Bool] = [], area: [Float] = [], hasObjectFeatures: Bool? = nil) {
    self.height = height
    self.width = width
    self.filename = filename
    self.sourceId = sourceId
    self.keySHA256 = keySHA256
    self.encodedImage = encodedImage
    self.format = format
    self.xmin = xmin
    self.ymin = ymin
    self.xmax = xmax
    self.ymax = ymax
    self.classes = classes
    self.classLabels = classLabels
    self.classTexts = classTexts
    self.isCrowd = isCrowd
    self.area = area
    self.hasObjectFeatures = hasObjectFeatures ?? !xmin.isEmpty
  }

  /// Number of objects N.
  public var objectCount: Int { xmin.count }

  /// Number of objects with `is_crowd` set.
  public var crowdCount: Int { isCrowd.lazy.filter { $0 }.count }

  /// Box k as [ymin, xmin, ymax, xmax] (the Object Detection API's order).
  public func box(_ k: Int) -> (ymin: Float, xmin: Float, ymax: Float, xmax: Float) {
    (ymin[k], xmin[k], ymax[k], xmax[k])
  }
}
