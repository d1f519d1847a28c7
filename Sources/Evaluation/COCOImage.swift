/// One entry of a COCO instances file's `images` list.
///
/// Only `id` takes part in evaluation; `width`, `height` and `fileName` are carried along so
/// a ground truth built in memory can be written back out as an instances file.
public struct COCOImage: Sendable, Equatable {
  public var id: Int
  public var width: Int?
  public var height: Int?
  public var fileName: String?

  public init(id: Int, width: Int? = nil, height: Int? = nil, fileName: String? = nil) {
    self.id = id
    self.width = width
    self.height = height
    self.fileName = fileName
  }
}
