/// A problem with input data: a path that matches nothing, a damaged TFRecord, a payload
/// that is not a tf.Example, or feature values a detector cannot train on. `location`
/// names the file, record index and byte offset when the problem is inside a record.
public struct DataError: Error, CustomStringConvertible, Sendable {
  /// What is wrong. Cases carry the facts; `description` adds what to do.
  public enum Kind: Sendable, Equatable {
    /// An input pattern (glob or plain path) matched no file.
    case noMatch(pattern: String)
    /// open/pread/write failed.
    case io(path: String, operation: String, errno: Int32)
    /// Fewer bytes remain than the record needs: `needed` bytes from the record start, `available` left.
    case truncated(needed: Int, available: Int)
    /// The masked CRC32C stored after the length field does not match the length bytes.
    case lengthCRCMismatch(stored: UInt32, computed: UInt32)
    /// The masked CRC32C stored after the data does not match the data.
    case dataCRCMismatch(stored: UInt32, computed: UInt32)
    /// The payload does not parse as a tf.train.Example protobuf.
    case notExample
    /// A feature has the wrong list type (e.g. bytes where int64 is expected).
    case wrongFeatureType(field: String, expected: String, found: String)
    /// A required feature is missing or empty.
    case missingField(field: String)
    /// Per-object lists disagree in length.
    case countMismatch(field: String, count: Int, expectedField: String, expectedCount: Int)
    /// A box coordinate is NaN (or infinite).
    case nonFiniteCoordinate(field: String, object: Int)
    /// xmin > xmax or ymin > ymax.
    case invertedBox(field: String, object: Int, low: Float, high: Float)
    /// A class id outside 1...numClasses, or class text the label map does not know.
    case classOutOfRange(field: String, object: Int, value: String, numClasses: Int)
    /// A scalar feature with an unusable value (e.g. `image/height` 0 or two values).
    case badValue(field: String, detail: String)
    /// Classes are given only as text and no label map was supplied to resolve them.
    case labelMapRequired(field: String)
    /// `image/encoded` does not decode as an image (reported by the JPEG layer).
    case undecodableImage(field: String, reason: String)
    /// Malformed text input (label map, COCO JSON).
    case syntax(path: String, line: Int, message: String)
    /// Anything else about an input file (named in `detail`).
    case invalidInput(path: String, detail: String)
  }

  public let kind: Kind
  public let location: RecordLocation?

  public init(_ kind: Kind, at location: RecordLocation? = nil) {
    self.kind = kind
    self.location = location
  }

  /// True for damage to the TFRecord framing itself (CRCs, truncation): the rest of the file
  /// after a length problem cannot be trusted.
  public var isFramingError: Bool {
    switch kind {
    case .truncated, .lengthCRCMismatch, .dataCRCMismatch: return true
    default: return false
    }
  }

  /// A short name of the kind, stable for scripts and tests ("data_crc", "not_example", ...).
  public var kindName: String {
    switch kind {
    case .noMatch: return "no_match"
    case .io: return "io"
    case .truncated: return "truncated"
    case .lengthCRCMismatch: return "length_crc"
    case .dataCRCMismatch: return "data_crc"
    case .notExample: return "not_example"
    case .wrongFeatureType: return "wrong_feature_type"
    case .missingField: return "missing_field"
    case .countMismatch: return "count_mismatch"
    case .nonFiniteCoordinate: return "nan_coordinate"
    case .invertedBox: return "inverted_box"
    case .classOutOfRange: return "class_out_of_range"
    case .badValue: return "bad_value"
    case .labelMapRequired: return "label_map_required"
    case .undecodableImage: return "undecodable_image"
    case .syntax: return "syntax"
    case .invalidInput: return "invalid_input"
    }
  }

  public var description: String {
    let place = location.map { "\($0): " } ?? ""
    switch kind {
    case let .noMatch(pattern):
      return "no input file matches '\(pattern)'; check the path or glob (input_path / --data)"
    case let .io(path, operation, errno):
      return "\(path): \(operation) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    case let .truncated(needed, available):
      return "\(place)truncated record: needs \(needed) bytes, only \(available) left in the file; "
        + "the file was cut short (re-copy or re-create it, or skip the rest: ssd train --skip_bad_records, "
        + "ssd data inspect --continue_on_error)"
    case let .lengthCRCMismatch(stored, computed):
      return "\(place)length CRC mismatch (stored masked CRC \(hex(stored)), computed \(hex(computed))); "
        + "the length field is corrupt, so the rest of this file cannot be read; re-create the file"
    case let .dataCRCMismatch(stored, computed):
      let dataAt = location.map { " (data at byte \($0.byteOffset + 12))" } ?? ""
      return "\(place)data CRC mismatch\(dataAt) (stored masked CRC \(hex(stored)), computed \(hex(computed))); "
        + "the record's payload is corrupt; re-create the file or skip the record (ssd train --skip_bad_records, "
        + "ssd data inspect --continue_on_error)"
    case .notExample:
      return "\(place)payload is not a tf.train.Example protobuf; is this a detection TFRecord?"
    case let .wrongFeatureType(field, expected, found):
      return "\(place)feature '\(field)' is a \(found), expected \(expected)"
    case let .missingField(field):
      return "\(place)feature '\(field)' is missing or empty"
    case let .countMismatch(field, count, expectedField, expectedCount):
      return "\(place)per-object lists disagree: '\(field)' has \(count) values, '\(expectedField)' has \(expectedCount)"
    case let .nonFiniteCoordinate(field, object):
      return "\(place)'\(field)' of object \(object) is not a finite number (NaN or infinity)"
    case let .invertedBox(field, object, low, high):
      let other = field.hasSuffix("xmin") ? "xmax" : "ymax"
      return "\(place)object \(object): '\(field)' = \(low) > \(other) = \(high) (an inverted box)"
    case let .classOutOfRange(field, object, value, numClasses):
      return "\(place)object \(object): '\(field)' value \(value) is not a class in the label map / 1...\(numClasses)"
    case let .badValue(field, detail):
      return "\(place)feature '\(field)': \(detail)"
    case let .labelMapRequired(field):
      return "\(place)classes are only given as '\(field)'; pass the label map (label_map_path / --label_map) to turn text into ids"
    case let .undecodableImage(field, reason):
      return "\(place)'\(field)' cannot be decoded as an image: \(reason)"
    case let .syntax(path, line, message):
      return "\(path):\(line): \(message)"
    case let .invalidInput(path, detail):
      return "\(path): \(detail)"
    }
  }

  private func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
