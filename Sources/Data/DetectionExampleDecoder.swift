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

  /// Validates an already parsed example.
  public func decode(_ example: TFExample, location: RecordLocation? = nil) throws -> DetectionExample {
    func fail(_ kind: DataError.Kind) -> DataError { DataError(kind, at: location) }

    func bytesList(_ key: String) throws -> [[UInt8]] {
      switch example[key] {
      case nil, .unset?: return []
      case let .bytes(v)?: return v
      case let other?: throw fail(.wrongFeatureType(field: key, expected: "bytes_list", found: other.kindName))
      }
    }
    func floatList(_ key: String) throws -> [Float] {
      switch example[key] {
      case nil, .unset?: return []
      case let .floats(v)?: return v
      case let other?: throw fail(.wrongFeatureType(field: key, expected: "float_list", found: other.kindName))
      }
    }
    func int64List(_ key: String) throws -> [Int64] {
      switch example[key] {
      case nil, .unset?: return []
      case let .int64s(v)?: return v
      case let other?: throw fail(.wrongFeatureType(field: key, expected: "int64_list", found: other.kindName))
      }
    }
    func scalarBytes(_ key: String, default value: String) throws -> [UInt8] {
      let list = try bytesList(key)
      if list.isEmpty { return Array(value.utf8) }
      guard list.count == 1 else { throw fail(.badValue(field: key, detail: "holds \(list.count) values, expected 1")) }
      return list[0]
    }
    func scalarSize(_ key: String) throws -> Int {
      let list = try int64List(key)
      if list.isEmpty { return 1 }
      guard list.count == 1 else { throw fail(.badValue(field: key, detail: "holds \(list.count) values, expected 1")) }
      guard list[0] > 0 && list[0] <= Int64(Int32.max) else { throw fail(.badValue(field: key, detail: "\(list[0]) is not a positive size")) }
      return Int(list[0])
    }
    func string(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    let height = try scalarSize(Key.height)
    let width = try scalarSize(Key.width)
    let filename = string(try scalarBytes(Key.filename, default: ""))
    let sourceId = string(try scalarBytes(Key.sourceId, default: ""))
    let key = string(try scalarBytes(Key.keySHA256, default: ""))
    let encoded = try scalarBytes(Key.encoded, default: "")
    guard !encoded.isEmpty else { throw fail(.missingField(field: Key.encoded)) }
    let format = string(try scalarBytes(Key.format, default: "jpeg"))

    let xmin = try floatList(Key.xmin)
    let ymin = try floatList(Key.ymin)
    let xmax = try floatList(Key.xmax)
    let ymax = try floatList(Key.ymax)
    let labels = try int64List(Key.classLabel)
    let texts = try bytesList(Key.classText).map(string)
    let crowd = try int64List(Key.isCrowd)
    let area = try floatList(Key.area)

    // Per-object lists: coordinates always; the others when present (non-empty).
    let n = xmin.count
    let lists: [(String, Int, Bool)] = [
      (Key.ymin, ymin.count, true), (Key.xmax, xmax.count, true), (Key.ymax, ymax.count, true),
      (Key.classLabel, labels.count, false), (Key.classText, texts.count, false),
      (Key.isCrowd, crowd.count, false), (Key.area, area.count, false),
    ]
    for (field, count, required) in lists where count != n && (required || count != 0) {
      throw fail(.countMismatch(field: field, count: count, expectedField: Key.xmin, expectedCount: n))
    }

    for k in 0..<n {
      for (field, v) in [(Key.ymin, ymin[k]), (Key.xmin, xmin[k]), (Key.ymax, ymax[k]), (Key.xmax, xmax[k])] where !v.isFinite {
        throw fail(.nonFiniteCoordinate(field: field, object: k))
      }
      if xmin[k] > xmax[k] { throw fail(.invertedBox(field: Key.xmin, object: k, low: xmin[k], high: xmax[k])) }
      if ymin[k] > ymax[k] { throw fail(.invertedBox(field: Key.ymin, object: k, low: ymin[k], high: ymax[k])) }
    }

    var classes: [Int] = []
    classes.reserveCapacity(n)
    if !texts.isEmpty, let labelMap {
      for (k, text) in texts.enumerated() {
        let id = labelMap.classID(forText: text)
        guard id >= 1 && id <= numClasses else {
          throw fail(.classOutOfRange(field: Key.classText, object: k, value: "'\(text)' (id \(id))", numClasses: numClasses))
        }
        classes.append(id)
      }
    } else if !labels.isEmpty || n == 0 {
      for (k, label) in labels.enumerated() {
        guard label >= 1 && label <= Int64(numClasses), labelMap?.contains(id: Int(label)) ?? true else {
          throw fail(.classOutOfRange(field: Key.classLabel, object: k, value: String(label), numClasses: numClasses))
        }
        classes.append(Int(label))
      }
    } else if !texts.isEmpty {
      throw fail(.labelMapRequired(field: Key.classText))
    } else {
      throw fail(.countMismatch(field: Key.classLabel, count: 0, expectedField: Key.xmin, expectedCount: n))
    }

    let hasObjectFeatures = example.features.keys.contains { $0.hasPrefix("image/object/") }
    return DetectionExample(
      height: height, width: width, filename: filename, sourceId: sourceId, keySHA256: key,
      encodedImage: encoded, format: format, xmin: xmin, ymin: ymin, xmax: xmax, ymax: ymax,
      classes: classes, classLabels: labels, classTexts: texts,
      isCrowd: crowd.isEmpty ? [Bool](repeating: false, count: n) : crowd.map { $0 != 0 },
      area: area, hasObjectFeatures: hasObjectFeatures)
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
