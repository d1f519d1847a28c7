/// Encoding a `DetectionExample` back into a tf.Example with the keys of a COCO converter.
extension DetectionExample {
  /// Which converter's key set to write.
  public enum ConverterStyle: Sendable {
    /// tensorflow/models `create_coco_tf_record.py` today: writes `image/object/class/label`
    /// beside the text; object keys only when the image had annotations.
    case current
    /// The 2018/2019 converter of NVIDIA's SSD320 code base: no `class/label`; object keys
    /// always present (possibly empty).
    case legacy
  }

  /// The tf.Example with exactly the converter's keys (spec 1.2; masks not written).
  /// `current` writes object keys when `hasObjectFeatures` (or there are objects), the
  /// class label from `classes`, and the text from `classTexts` (must have N entries).
  public func tfExample(style: ConverterStyle = .current) -> TFExample {
    typealias K = DetectionExampleDecoder.Key
    var f: [String: TFFeature] = [
      K.height: .int64s([Int64(height)]),
      K.width: .int64s([Int64(width)]),
      K.filename: .bytes([Array(filename.utf8)]),
      K.sourceId: .bytes([Array(sourceId.utf8)]),
      K.keySHA256: .bytes([Array(keySHA256.utf8)]),
      K.encoded: .bytes([encodedImage]),
      K.format: .bytes([Array(format.utf8)]),
    ]
    let writeObjects = style == .legacy || hasObjectFeatures || objectCount > 0
    if writeObjects {
      precondition(classTexts.count == objectCount, "tfExample needs one class text per object (\(classTexts.count) for \(objectCount))")
      f[K.xmin] = .floats(xmin)
      f[K.xmax] = .floats(xmax)
      f[K.ymin] = .floats(ymin)
      f[K.ymax] = .floats(ymax)
      f[K.classText] = .bytes(classTexts.map { Array($0.utf8) })
      if style == .current { f[K.classLabel] = .int64s(classes.map(Int64.init)) }
      f[K.isCrowd] = .int64s(isCrowd.map { $0 ? 1 : 0 })
      f[K.area] = .floats(area)
    }
    return TFExample(features: f)
  }
}
