/// One entry of a COCO instances file's `categories` list (`id` 1...90 for COCO's 80 classes).
public struct COCOCategory: Sendable, Equatable {
  public var id: Int
  public var name: String
  public var supercategory: String?

  public init(id: Int, name: String, supercategory: String? = nil) {
    self.id = id
    self.name = name
    self.supercategory = supercategory
  }
}
