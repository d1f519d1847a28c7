/// Counts gathered by `DatasetInspector`: records, valid images, objects, crowd objects,
/// objects per class, and the records that failed (in skip mode).
public struct DatasetSummary: Sendable {
  /// Files inspected.
  public var files = 0
  /// Records looked at: every framed record (valid or not), plus one per file whose framing
  /// breaks (length CRC, truncation), standing for the unreadable rest of that file.
  public var records = 0
  /// Records that are valid detection examples.
  public var images = 0
  /// Valid images without any object.
  public var imagesWithoutObjects = 0
  public var objects = 0
  public var crowdObjects = 0
  /// Objects per resolved class id.
  public var classCounts: [Int: Int] = [:]
  /// Crowd objects per resolved class id.
  public var crowdClassCounts: [Int: Int] = [:]
  /// Problems found in skip mode, in file order. A framing problem that ends a file early
  /// appears once (the rest of that file is unreadable).
  public var badRecords: [DataError] = []

  public init() {}

  /// Adds one valid example to the counts.
  public mutating func add(_ example: DetectionExample) {
    images += 1
    if example.objectCount == 0 { imagesWithoutObjects += 1 }
    objects += example.objectCount
    for k in 0..<example.objectCount {
      classCounts[example.classes[k], default: 0] += 1
      if example.isCrowd[k] {
        crowdObjects += 1
        crowdClassCounts[example.classes[k], default: 0] += 1
      }
    }
  }
}
