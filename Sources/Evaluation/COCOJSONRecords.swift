import Foundation

/// The JSON shapes of COCO files, decoded with Foundation's `JSONDecoder` (whose number
/// parser rounds correctly, so every number becomes the same float64 Python's `json` gives).
/// Unknown keys (`segmentation`, `info`, `licenses`, ...) are skipped.
enum COCOJSONRecords {
  /// An instances file: `{"images": [...], "annotations": [...], "categories": [...]}`;
  /// a missing list counts as empty, as in pycocotools.
  struct Instances: Decodable {
    var images: [Image]?
    var annotations: [Annotation]?
    var categories: [Category]?
  }

  struct Image: Decodable {
    var id: FlexibleInt
    var width: FlexibleInt?
    var height: FlexibleInt?
    var file_name: String?
  }

  struct Category: Decodable {
    var id: FlexibleInt
    var name: String?
    var supercategory: String?
  }

  struct Annotation: Decodable {
    var id: FlexibleInt
    var image_id: FlexibleInt
    var category_id: FlexibleInt
    var bbox: Box
    var area: Double
    var iscrowd: CrowdFlag?
  }

  /// One entry of a results list.
  struct Detection: Decodable {
    var image_id: FlexibleInt
    var category_id: FlexibleInt
    var bbox: Box
    var score: Double
  }

  /// `[x, y, width, height]`: exactly four numbers.
  struct Box: Decodable {
    var box: COCOBox
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      let v = try c.decode([Double].self)
      guard v.count == 4 else {
        throw DecodingError.dataCorruptedError(
          in: c, debugDescription: "has \(v.count) numbers, expected 4 ([x, y, width, height])")
      }
      box = COCOBox(x: v[0], y: v[1], width: v[2], height: v[3])
    }
  }

  /// An integer that may be written `7` or `7.0` (Python treats both as the same key).
  struct FlexibleInt: Decodable {
    var value: Int
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let i = try? c.decode(Int.self) { value = i; return }
      if let d = try? c.decode(Double.self), d.rounded() == d, abs(d) < 9.0e18 { value = Int(d); return }
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an integer")
    }
  }

  /// `iscrowd`: 0/1 or true/false; any non-zero number counts as crowd.
  struct CrowdFlag: Decodable {
    var value: Bool
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let b = try? c.decode(Bool.self) { value = b; return }
      if let d = try? c.decode(Double.self) { value = d != 0; return }
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected 0 or 1")
    }
  }

  /// Decodes `T` from `data`, turning decoding failures into `COCOError`s that name the record.
  static func decode<T: Decodable>(_ type: T.Type, from data: Data, source: String) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw cocoError(error, source: source)
    }
  }

  /// Reads a whole file.
  static func read(path: String) throws -> Data {
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw COCOError.unreadableFile(source: path, reason: "\(error.localizedDescription)")
    }
  }

  static func cocoError(_ error: DecodingError, source: String) -> COCOError {
    func location(_ path: [CodingKey]) -> String {
      var s = ""
      for key in path {
        if let i = key.intValue { s += "[\(i)]" } else { s += s.isEmpty ? key.stringValue : ".\(key.stringValue)" }
      }
      return s.isEmpty ? "top level" : s
    }
    switch error {
    case let .keyNotFound(key, context):
      let loc = location(context.codingPath)
      return .invalidField(source: source, location: loc, reason: "missing field \"\(key.stringValue)\"")
    case let .typeMismatch(type, context):
      if context.codingPath.isEmpty {
        return .invalidJSON(source: source, reason: "top level is not a \(type == [Any].self ? "list" : "\(type)")")
      }
      return .invalidField(source: source, location: location(context.codingPath),
                           reason: "wrong type (expected \(type))")
    case let .valueNotFound(type, context):
      return .invalidField(source: source, location: location(context.codingPath), reason: "null where \(type) is needed")
    case let .dataCorrupted(context):
      if context.codingPath.isEmpty {
        let underlying = context.underlyingError.map { " \($0)" } ?? ""
        return .invalidJSON(source: source, reason: context.debugDescription + underlying)
      }
      return .invalidField(source: source, location: location(context.codingPath), reason: context.debugDescription)
    @unknown default:
      return .invalidJSON(source: source, reason: "\(error)")
    }
  }
}
