import Foundation

/// Writes a synthetic COCO-style detection data set (`ssd data synth`): for each split,
/// TFRecord shards made exactly like `create_coco_tf_record.py` makes them (via
/// `COCOConverter.makeExample`: same keys, float64 box division, skip rules), the matching
/// `instances_<split>.json` (COCO format: images, annotations with polygon or RLE
/// segmentation, mask `area`, all 80 categories) and `label_map.pbtxt`. Optionally the JPEG
/// files themselves under `<split>/`, so `ssd data from-coco` can rebuild the records.
///
/// Scene i of a split is drawn from `SampleRandom(seed: seed, stream: split tag, i)`, so the
/// output is a pure function of the options (byte-identical on every run). Image ids: train
/// 1...N, val N+1...N+M; file names `%012d.jpg`.
public struct SyntheticDataset {
  public struct Options: Sendable {
    public var trainCount: Int
    public var valCount: Int
    public var seed: UInt64
    /// Fixed (width, height), or nil for random non-square sizes 256–640.
    public var size: (width: Int, height: Int)?
    /// TFRecord shards per split (image i goes to shard i % shards).
    public var trainShards: Int
    public var valShards: Int
    public var writeImages: Bool

    public init(trainCount: Int, valCount: Int, seed: UInt64, size: (width: Int, height: Int)? = nil,
                trainShards: Int = 1, valShards: Int = 1, writeImages: Bool = false) {
      self.trainCount = trainCount
      self.valCount = valCount
      self.seed = seed
      self.size = size
      self.trainShards = trainShards
      self.valShards = valShards
      self.writeImages = writeImages
    }
  }

  /// What was written.
  public struct Summary: Sendable {
    public var files: [String] = []
    public var images: [String: Int] = [:]
    public var objects: [String: Int] = [:]
    public var crowdObjects: [String: Int] = [:]
  }

  public let options: Options
  public init(options: Options) { self.options = options }

  /// The split's scenes are streams (seed, tag, index) with these tags.
  static func tag(_ split: String) -> UInt64 { split == "train" ? 0x7472_6169_6E : 0x76_616C }

  /// The JPEG settings of scene `index`: quality 80–95, 4:2:0 mostly, some 4:4:4, a few progressive.
  static func jpegSettings(rng: inout SampleRandom) -> (quality: Int, subsampling: JPEGSubsampling, progressive: Bool) {
    (80 + rng.nextInt(below: 16), rng.nextUnitFloat() < 0.8 ? .s420 : .s444, rng.nextUnitFloat() < 0.05)
  }

  /// Scene and JPEG bytes of image `index` of `split`.
  public func image(split: String, index: Int, encoder: JPEGEncoder) throws -> (SyntheticScene, [UInt8]) {
    var rng = SampleRandom(seed: options.seed, stream: Self.tag(split), UInt64(index))
    let scene = SyntheticSceneGenerator(size: options.size).scene(rng: &rng)
    let settings = Self.jpegSettings(rng: &rng)
    let jpeg = try encoder.encode(scene.image, quality: settings.quality, subsampling: settings.subsampling,
                                  progressive: settings.progressive)
    return (scene, jpeg)
  }

  /// Writes everything into `directory` (created if needed).
  public func write(to directory: String, progress: ((String, Int, Int) -> Void)? = nil) throws -> Summary {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var summary = Summary()
    let labelMapPath = (directory as NSString).appendingPathComponent("label_map.pbtxt")
    try COCOCategories.labelMapText().write(toFile: labelMapPath, atomically: true, encoding: .utf8)
    summary.files.append(labelMapPath)
    var nextAnnotationId = 1
    for (split, count, shards, firstId) in [("train", options.trainCount, options.trainShards, 1),
                                            ("val", options.valCount, options.valShards, options.trainCount + 1)] {
      try writeSplit(split, count: count, shards: shards, firstImageId: firstId, directory: directory,
                     nextAnnotationId: &nextAnnotationId, summary: &summary, progress: progress)
    }
    return summary
  }

  private func writeSplit(_ split: String, count: Int, shards: Int, firstImageId: Int, directory: String,
                          nextAnnotationId: inout Int, summary: inout Summary,
                          progress: ((String, Int, Int) -> Void)?) throws {
    precondition(shards >= 1, "shards must be ≥ 1")
    let prefix = (directory as NSString).appendingPathComponent("synth_\(split).record")
    let paths = (0..<shards).map { COCOConverter.shardPath(prefix: prefix, index: $0, count: shards) }
    let writers = try paths.map { try TFRecordWriter(path: $0) }
    let imageDirectory = (directory as NSString).appendingPathComponent(split)
    if options.writeImages {
      try FileManager.default.createDirectory(atPath: imageDirectory, withIntermediateDirectories: true)
    }
    var json = COCOJSON(split: split)
    let names = Dictionary(uniqueKeysWithValues: COCOCategories.all.map { ($0.id, $0.name) })
    let chunk = 32
    var start = 0
    while start < count {
      let end = min(count, start + chunk)
      var results = [Result<(SyntheticScene, [UInt8]), Error>?](repeating: nil, count: end - start)
      results.withUnsafeMutableBufferPointer { out in
        let box = ResultBox(out)
        DispatchQueue.concurrentPerform(iterations: end - start) { k in
          box.buffer[k] = Result { try self.image(split: split, index: start + k, encoder: JPEGEncoder()) }
        }
      }
      for k in 0..<(end - start) {
        let (scene, jpeg) = try results[k]!.get()
        let i = start + k, id = firstImageId + i
        let fileName = Self.fileName(id)
        let image = COCOInstances.Image(id: id, fileName: fileName, height: scene.image.height, width: scene.image.width)
        var annotations = [COCOInstances.Annotation]()
        for o in scene.objects {
          annotations.append(COCOInstances.Annotation(imageId: id, bbox: [Double(o.x), Double(o.y), Double(o.w), Double(o.h)],
                                                      area: Double(o.area), isCrowd: o.isCrowd ? 1 : 0, categoryId: o.classId))
          json.annotations.append(.init(id: nextAnnotationId, imageId: id, object: o))
          nextAnnotationId += 1
          summary.objects[split, default: 0] += 1
          if o.isCrowd { summary.crowdObjects[split, default: 0] += 1 }
        }
        json.images.append(.init(id: id, fileName: fileName, height: scene.image.height, width: scene.image.width))
        let (example, _) = try COCOConverter.makeExample(image: image, jpeg: jpeg, annotations: annotations,
                                                         categoryNames: names)
        try writers[i % shards].write(example.tfExample(style: .current).serialized())
        if options.writeImages {
          try Foundation.Data(jpeg).write(to: URL(fileURLWithPath: (imageDirectory as NSString).appendingPathComponent(fileName)))
        }
      }
      start = end
      progress?(split, start, count)
    }
    for w in writers { try w.close() }
    summary.images[split] = count
    summary.files += paths
    let jsonPath = (directory as NSString).appendingPathComponent("instances_\(split).json")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try encoder.encode(json).write(to: URL(fileURLWithPath: jsonPath))
    summary.files.append(jsonPath)
  }

  /// `%012d.jpg`.
  static func fileName(_ id: Int) -> String {
    let s = String(id)
    return String(repeating: "0", count: max(0, 12 - s.count)) + s + ".jpg"
  }
}

/// Lets concurrentPerform workers write distinct slots of one buffer.
private struct ResultBox<T>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<T>
  init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// The COCO `instances_*.json` document written for a synthetic split.
struct COCOJSON: Encodable {
  struct Info: Encodable { var description: String, version = "1.0", year = 2026 }
  struct License: Encodable { var id = 1, name = "synthetic", url = "" }
  struct Image: Encodable {
    var id: Int, fileName: String, height: Int, width: Int
    var license = 1, cocoURL = "", flickrURL = "", dateCaptured = "2026-01-01 00:00:00"
    enum CodingKeys: String, CodingKey {
      case id, height, width, license
      case fileName = "file_name", cocoURL = "coco_url", flickrURL = "flickr_url", dateCaptured = "date_captured"
    }
  }
  struct Annotation: Encodable {
    var id: Int, imageId: Int, categoryId: Int, bbox: [Double], area: Double, iscrowd: Int
    var segmentation: SyntheticScene.Segmentation
    init(id: Int, imageId: Int, object o: SyntheticScene.Object) {
      self.id = id; self.imageId = imageId; categoryId = o.classId
      bbox = [Double(o.x), Double(o.y), Double(o.w), Double(o.h)]
      area = Double(o.area); iscrowd = o.isCrowd ? 1 : 0; segmentation = o.segmentation
    }
    enum CodingKeys: String, CodingKey { case id, bbox, area, iscrowd, segmentation, imageId = "image_id", categoryId = "category_id" }
    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id); try c.encode(imageId, forKey: .imageId); try c.encode(categoryId, forKey: .categoryId)
      try c.encode(bbox, forKey: .bbox); try c.encode(area, forKey: .area); try c.encode(iscrowd, forKey: .iscrowd)
      switch segmentation {
      case .polygons(let p): try c.encode(p, forKey: .segmentation)
      case .rle(let counts, let size): try c.encode(RLE(counts: counts, size: size), forKey: .segmentation)
      }
    }
    struct RLE: Encodable { var counts: [Int], size: [Int] }
  }
  struct Category: Encodable { var id: Int, name: String, supercategory: String }

  var info: Info
  var licenses = [License()]
  var images: [Image] = []
  var annotations: [Annotation] = []
  var categories = COCOCategories.all.map { Category(id: $0.id, name: $0.name, supercategory: $0.supercategory) }

  init(split: String) { info = Info(description: "swift-ssd synthetic shapes (\(split)), COCO format") }
}
