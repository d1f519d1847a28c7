import Foundation

/// The parts of a COCO `instances_*.json` file the TFRecord converter reads: images,
/// annotations (segmentations are not decoded) and categories.
public struct COCOInstances: Decodable, Sendable {
  public struct Image: Decodable, Sendable {
    public var id: Int
    public var fileName: String
    public var height: Int
    public var width: Int
    enum CodingKeys: String, CodingKey {
      case id, height, width
      case fileName = "file_name"
    }
  }

  public struct Annotation: Decodable, Sendable {
    public var imageId: Int
    /// [x, y, w, h] in absolute pixels, top-left origin.
    public var bbox: [Double]
    public var area: Double
    public var isCrowd: Int
    public var categoryId: Int
    enum CodingKeys: String, CodingKey {
      case bbox, area
      case imageId = "image_id"
      case isCrowd = "iscrowd"
      case categoryId = "category_id"
    }
  }

  public struct Category: Decodable, Sendable {
    public var id: Int
    public var name: String
  }

  public var images: [Image]
  public var annotations: [Annotation]
  public var categories: [Category]

  enum CodingKeys: String, CodingKey { case images, annotations, categories }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    images = try c.decode([Image].self, forKey: .images)
    annotations = try c.decodeIfPresent([Annotation].self, forKey: .annotations) ?? []
    categories = try c.decodeIfPresent([Category].self, forKey: .categories) ?? []
  }

  /// Reads and decodes `path`; errors name the file and the JSON path that failed.
  public init(contentsOfFile path: String) throws {
    let bytes = try FileBytes.read(path, purpose: "read annotations")
    do {
      self = try JSONDecoder().decode(COCOInstances.self, from: Foundation.Data(bytes))
    } catch let DecodingError.keyNotFound(key, context) {
      throw DataError(.invalidInput(path: path, detail: "missing key '\(key.stringValue)' at \(Self.jsonPath(context.codingPath))"))
    } catch let DecodingError.typeMismatch(_, context) {
      throw DataError(.invalidInput(path: path, detail: "wrong type at \(Self.jsonPath(context.codingPath)): \(context.debugDescription)"))
    } catch let DecodingError.valueNotFound(_, context) {
      throw DataError(.invalidInput(path: path, detail: "null value at \(Self.jsonPath(context.codingPath))"))
    } catch {
      throw DataError(.invalidInput(path: path, detail: "not a COCO instances JSON file: \(error)"))
    }
  }

  private static func jsonPath(_ path: [CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  }
}
