import Foundation

/// A COCO ground truth: images, annotations and categories, as pycocotools' `COCO` holds them.
///
/// Build one from an instances JSON file (`init(contentsOf:)`), from bytes
/// (`init(jsonData:source:)`), or in memory (`init(images:annotations:categories:)`, or
/// `COCOGroundTruthBuilder` for boxes decoded from TFRecords, spec §9.1).
///
/// pycocotools' conventions are kept, including its quirks: evaluation covers every image
/// id of `images` and every category id of `categories`; annotations whose image or
/// category is not listed are left out; annotation ids are assumed unique (if an id
/// repeats, pycocotools looks every copy up by id and so evaluates the *last* annotation
/// with that id in place of each) and non-zero (a detection matched to an annotation
/// with id 0 counts as a false positive, because pycocotools stores matches by id and
/// treats 0 as "unmatched"). The evaluator reproduces both, so results stay identical.
public struct COCO: Sendable {
  public var images: [COCOImage]
  public var annotations: [COCOAnnotation]
  public var categories: [COCOCategory]

  public init(images: [COCOImage], annotations: [COCOAnnotation], categories: [COCOCategory]) {
    self.images = images
    self.annotations = annotations
    self.categories = categories
  }

  /// Reads an instances JSON file (e.g. `instances_val2017.json`).
  /// Throws `COCOError` naming the file, record and field when something is malformed.
  public init(contentsOf path: String) throws {
    try self.init(jsonData: try COCOJSONRecords.read(path: path), source: path)
  }

  /// Parses an instances JSON document; `source` names it in errors.
  public init(jsonData: Data, source: String = "<ground truth JSON>") throws {
    let file = try COCOJSONRecords.decode(COCOJSONRecords.Instances.self, from: jsonData, source: source)
    images = (file.images ?? []).map {
      COCOImage(id: $0.id.value, width: $0.width?.value, height: $0.height?.value, fileName: $0.file_name)
    }
    annotations = (file.annotations ?? []).map {
      COCOAnnotation(id: $0.id.value, imageID: $0.image_id.value, categoryID: $0.category_id.value,
                     bbox: $0.bbox.box, area: $0.area, isCrowd: $0.iscrowd?.value ?? false)
    }
    categories = (file.categories ?? []).map {
      COCOCategory(id: $0.id.value, name: $0.name ?? "", supercategory: $0.supercategory)
    }
  }

  /// The evaluated image ids: unique ids of `images`, ascending (pycocotools' `params.imgIds`).
  public var imageIDs: [Int] { Array(Set(images.map(\.id))).sorted() }

  /// The evaluated category ids: unique ids of `categories`, ascending (`params.catIds`).
  public var categoryIDs: [Int] { Array(Set(categories.map(\.id))).sorted() }

  /// The name of each category id (the last entry wins if an id repeats, as in pycocotools).
  public var categoryNames: [Int: String] {
    var names: [Int: String] = [:]
    for c in categories { names[c.id] = c.name }
    return names
  }

  /// The ground truth as an instances JSON document that pycocotools' `COCO(...)` reads back
  /// to the same values (numbers written as shortest round-trip decimals).
  public func jsonData() -> Data {
    var out = "{\"images\": ["
    for (n, im) in images.enumerated() {
      out += n == 0 ? "\n" : ",\n"
      out += "{\"id\": \(im.id)"
      if let h = im.height { out += ", \"height\": \(h)" }
      if let w = im.width { out += ", \"width\": \(w)" }
      if let f = im.fileName { out += ", \"file_name\": \(JSONText.string(f))" }
      out += "}"
    }
    out += "],\n\"annotations\": ["
    for (n, a) in annotations.enumerated() {
      out += n == 0 ? "\n" : ",\n"
      out += "{\"id\": \(a.id), \"image_id\": \(a.imageID), \"category_id\": \(a.categoryID), "
        + "\"bbox\": \(JSONText.box(a.bbox)), \"area\": \(JSONText.number(a.area)), \"iscrowd\": \(a.isCrowd ? 1 : 0)}"
    }
    out += "],\n\"categories\": ["
    for (n, c) in categories.enumerated() {
      out += n == 0 ? "\n" : ",\n"
      out += "{\"id\": \(c.id), \"name\": \(JSONText.string(c.name))"
      if let s = c.supercategory { out += ", \"supercategory\": \(JSONText.string(s))" }
      out += "}"
    }
    out += "]}\n"
    return Data(out.utf8)
  }
}
