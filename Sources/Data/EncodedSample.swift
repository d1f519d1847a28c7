/// One sample as stored, before decoding: the JPEG bytes, its ground truth and what the
/// evaluator needs to know about the image.
public struct EncodedSample: Sendable {
  /// `image/encoded`.
  public var jpeg: [UInt8]
  /// Boxes (normalized [ymin, xmin, ymax, xmax]), class ids, weights (all 1), record order.
  public var groundTruth: GroundTruth
  public var info: SampleInfo

  public init(jpeg: [UInt8], groundTruth: GroundTruth, info: SampleInfo) {
    self.jpeg = jpeg
    self.groundTruth = groundTruth
    self.info = info
  }

  /// From a decoded tf.Example (`DetectionExampleDecoder`): classes as resolved there.
  public init(_ example: DetectionExample, location: RecordLocation? = nil) {
    let boxes = (0..<example.objectCount).map {
      BoundingBox(ymin: example.ymin[$0], xmin: example.xmin[$0], ymax: example.ymax[$0], xmax: example.xmax[$0])
    }
    self.init(jpeg: example.encodedImage,
              groundTruth: GroundTruth(boxes: boxes, classes: example.classes.map { Int32($0) }),
              info: SampleInfo(sourceId: example.sourceId, filename: example.filename, storedHeight: example.height,
                               storedWidth: example.width, isCrowd: example.isCrowd, area: example.area,
                               location: location))
  }
}

/// Facts about a sample that travel with it into the batch (for evaluation and error reports).
public struct SampleInfo: Equatable, Sendable {
  /// `image/source_id` (the COCO image id as text).
  public var sourceId: String
  public var filename: String
  /// `image/height`, `image/width` as stored in the record.
  public var storedHeight: Int
  public var storedWidth: Int
  /// Size of the decoded image (what TF uses: `original_image_spatial_shape`); 0 until decoded.
  public var decodedHeight: Int = 0
  public var decodedWidth: Int = 0
  /// Per object of the record (before augmentation and NaN dropping): `is_crowd`, `area`.
  public var isCrowd: [Bool]
  public var area: [Float]
  /// Where the record is (nil for in-memory samples).
  public var location: RecordLocation?

  public init(sourceId: String, filename: String = "", storedHeight: Int, storedWidth: Int,
              isCrowd: [Bool] = [], area: [Float] = [], location: RecordLocation? = nil) {
    self.sourceId = sourceId
    self.filename = filename
    self.storedHeight = storedHeight
    self.storedWidth = storedWidth
    self.isCrowd = isCrowd
    self.area = area
    self.location = location
  }
}
