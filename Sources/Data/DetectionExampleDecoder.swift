import Config
/// Turns tf.Example payloads into validated `DetectionExample`s, covering both converter
/// generations (spec 1.2-1.4, fixtures README):
/// - classes: when `image/object/class/text` is non-empty and a label map is given, each
///   text is looked up by `name` and `display_name` (larger id wins, -1 if absent); otherwise
///   `image/object/class/label` is used. Text without a label map and without labels is an error.
/// - scalars take TensorFlow's defaults when absent (height/width 1, format "jpeg", strings "").
///
/// Validation (each error names file, record, byte offset and field): payload not a
/// tf.Example, wrong list type, missing `image/encoded`, per-object lists of unequal length,
/// NaN/infinite coordinates, xmin > xmax or ymin > ymax, class ids outside 1...numClasses
/// (or, with a label map, not among its ids) or text not in the label map.
public struct DetectionExampleDecoder: Sendable {
  public var labelMap: LabelMap?
  public var numClasses: Int

  public init(labelMap: LabelMap? = nil, numClasses: Int = 90) {
    self.labelMap = labelMap
    self.numClasses = numClasses
  }

  public enum Key {
    public static let height = "image/height"
    public static let width = "image/width"
    public static let filename = "image/filename"
    public static let sourceId = "image/source_id"
    public static let keySHA256 = "image/key/sha256"
    public static let encoded = "image/encoded"
    public static let format = "image/format"
    public static let xmin = "image/object/bbox/xmin"
    public static let xmax = "image/object/bbox/xmax"
    public static let ymin = "image/object/bbox/ymin"
    public static let ymax = "image/object/bbox/ymax"
    public static let classText = "image/object/class/text"
    public static let classLabel = "image/object/class/label"
    public static let isCrowd = "image/object/is_crowd"
    public static let area = "image/object/area"
  }

  /// Parses and validates one record payload.
  public func decode(_ payload: [UInt8], location: RecordLocation? = nil) throws -> DetectionExample {
    try decode(TFExample(serialized: payload, location: location), location: location)
  }

  /// Validates an already parsed example, phase by phase: image fields, per-object lists,
  /// boxes, classes.
  public func decode(_ example: TFExample, location: RecordLocation? = nil) throws -> DetectionExample {
    let image = try ImageFields(example, at: location)
    let objects = try ObjectLists(example, at: location)
    try objects.checkBoxes(at: location)
    let classes = try resolveClasses(objects, at: location)
    let hasObjectFeatures = example.features.keys.contains { $0.hasPrefix("image/object/") }
    return DetectionExample(
      height: image.height, width: image.width, filename: image.filename, sourceId: image.sourceId,
      keySHA256: image.keySHA256, encodedImage: image.encoded, format: image.format,
      xmin: objects.xmin, ymin: objects.ymin, xmax: objects.xmax, ymax: objects.ymax,
      classes: classes, classLabels: objects.labels, classTexts: objects.texts,
      isCrowd: objects.crowd.isEmpty ? [Bool](repeating: false, count: objects.count) : objects.crowd.map { $0 != 0 },
      area: objects.area, hasObjectFeatures: hasObjectFeatures)
  }

  /// Class ids from the text (through the label map) when there is text and a label map,
  /// else from the labels; no objects need no classes.
  private func resolveClasses(_ objects: ObjectLists, at location: RecordLocation?) throws -> [Int] {
    func fail(_ kind: DataError.Kind) -> DataError { DataError(kind, at: location) }
    var classes: [Int] = []
    classes.reserveCapacity(objects.count)
    if !objects.texts.isEmpty, let labelMap {
      for (k, text) in objects.texts.enumerated() {
        let id = labelMap.classID(forText: text)
        guard id >= 1 && id <= numClasses else {
          throw fail(.classOutOfRange(field: Key.classText, object: k, value: "'\(text)' (id \(id))", numClasses: numClasses))
        }
        classes.append(id)
      }
    } else if !objects.labels.isEmpty || objects.count == 0 {
      for (k, label) in objects.labels.enumerated() {
        guard label >= 1 && label <= Int64(numClasses), labelMap?.contains(id: Int(label)) ?? true else {
          throw fail(.classOutOfRange(field: Key.classLabel, object: k, value: String(label), numClasses: numClasses))
        }
        classes.append(Int(label))
      }
    } else if !objects.texts.isEmpty {
      throw fail(.labelMapRequired(field: Key.classText))
    } else {
      throw fail(.countMismatch(field: Key.classLabel, count: 0, expectedField: Key.xmin, expectedCount: objects.count))
    }
    return classes
  }

  /// The image's scalar features, with TensorFlow's defaults for absent ones.
  private struct ImageFields {
    let height: Int, width: Int
    let filename: String, sourceId: String, keySHA256: String, format: String
    let encoded: [UInt8]

    init(_ example: TFExample, at location: RecordLocation?) throws {
      func string(_ key: String, default value: String) throws -> String {
        String(decoding: try example.scalarBytes(key, default: value, at: location), as: UTF8.self)
      }
      height = try example.scalarSize(Key.height, at: location)
      width = try example.scalarSize(Key.width, at: location)
      filename = try string(Key.filename, default: "")
      sourceId = try string(Key.sourceId, default: "")
      keySHA256 = try string(Key.keySHA256, default: "")
      encoded = try example.scalarBytes(Key.encoded, default: "", at: location)
      guard !encoded.isEmpty else { throw DataError(.missingField(field: Key.encoded), at: location) }
      format = try string(Key.format, default: "jpeg")
    }
  }

  /// The per-object lists, checked for equal lengths: coordinates always, the others
  /// when present (non-empty).
  private struct ObjectLists {
    let xmin: [Float], ymin: [Float], xmax: [Float], ymax: [Float]
    let labels: [Int64]
    let texts: [String]
    let crowd: [Int64]
    let area: [Float]
    var count: Int { xmin.count }

    init(_ example: TFExample, at location: RecordLocation?) throws {
      xmin = try example.floatList(Key.xmin, at: location)
      ymin = try example.floatList(Key.ymin, at: location)
      xmax = try example.floatList(Key.xmax, at: location)
      ymax = try example.floatList(Key.ymax, at: location)
      labels = try example.int64List(Key.classLabel, at: location)
      texts = try example.bytesList(Key.classText, at: location).map { String(decoding: $0, as: UTF8.self) }
      crowd = try example.int64List(Key.isCrowd, at: location)
      area = try example.floatList(Key.area, at: location)
      let n = xmin.count
      let lists: [(String, Int, Bool)] = [
        (Key.ymin, ymin.count, true), (Key.xmax, xmax.count, true), (Key.ymax, ymax.count, true),
        (Key.classLabel, labels.count, false), (Key.classText, texts.count, false),
        (Key.isCrowd, crowd.count, false), (Key.area, area.count, false),
      ]
      for (field, count, required) in lists where count != n && (required || count != 0) {
        throw DataError(.countMismatch(field: field, count: count, expectedField: Key.xmin, expectedCount: n), at: location)
      }
    }

    /// Every coordinate finite, no box inverted.
    func checkBoxes(at location: RecordLocation?) throws {
      for k in 0..<count {
        for (field, v) in [(Key.ymin, ymin[k]), (Key.xmin, xmin[k]), (Key.ymax, ymax[k]), (Key.xmax, xmax[k])] where !v.isFinite {
          throw DataError(.nonFiniteCoordinate(field: field, object: k), at: location)
        }
        if xmin[k] > xmax[k] { throw DataError(.invertedBox(field: Key.xmin, object: k, low: xmin[k], high: xmax[k]), at: location) }
        if ymin[k] > ymax[k] { throw DataError(.invertedBox(field: Key.ymin, object: k, low: ymin[k], high: ymax[k]), at: location) }
      }
    }
  }
}

extension TFRecordDataset {
  /// Reads and decodes global record `index`; errors carry the record's location.
  public func example(_ index: Int, decoder: DetectionExampleDecoder) throws -> DetectionExample {
    let (f, r) = fileAndRecord(index)
    let location = files[f].location(ofRecord: r)
    return try decoder.decode(try files[f].readRecord(r), location: location)
  }
}
