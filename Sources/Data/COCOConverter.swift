import Config
import Formats
import Foundation

/// COCO images + `instances_*.json` -> sharded detection TFRecords, with the rules of
/// tensorflow/models `create_coco_tf_record.py` (spec 1.1-1.2):
/// - an annotation is skipped when w <= 0, h <= 0, x + w > W or y + h > H (float64 compares);
/// - boxes are x/W, (x+w)/W, y/H, (y+h)/H computed in float64 and stored as float32;
/// - class text is the category name, class label its id (current style), `area` and
///   `iscrowd` are copied; `image/key/sha256` is the hex SHA-256 of the JPEG file bytes;
/// - an image without annotations gets no `image/object/*` keys (current style; one whose
///   annotations were all skipped gets empty lists);
/// - image i (annotation-file order) goes to shard i % N, files named `PREFIX-%05d-of-%05d`.
/// Map entries are serialized sorted by key (TensorFlow's deterministic order).
public struct COCOConverter {
  public var imagesDirectory: String
  public var instances: COCOInstances
  public var annotationsPath: String
  public var style: DetectionExample.ConverterStyle

  /// What a conversion did.
  public struct Report: Sendable, Equatable {
    public var images = 0
    public var imagesWithoutAnnotations = 0
    public var annotationsWritten = 0
    public var annotationsSkipped = 0
    public var outputFiles: [String] = []
  }

  public init(imagesDirectory: String, annotationsPath: String, style: DetectionExample.ConverterStyle = .current) throws {
    self.imagesDirectory = imagesDirectory
    self.annotationsPath = annotationsPath
    self.instances = try COCOInstances(contentsOfFile: annotationsPath)
    self.style = style
  }

  /// `PREFIX-%05d-of-%05d`.
  public static func shardPath(prefix: String, index: Int, count: Int) -> String {
    prefix + "-" + pad5(index) + "-of-" + pad5(count)
  }

  private static func pad5(_ v: Int) -> String {
    let s = String(v)
    return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
  }

  /// The example for one image: `annotations` are the image's annotations in file order
  /// (nil or empty: none), `categoryNames` maps category id to name. Returns the number of
  /// skipped annotations beside it.
  public static func makeExample(image: COCOInstances.Image, jpeg: [UInt8], annotations: [COCOInstances.Annotation],
                                 categoryNames: [Int: String], annotationsPath: String = "<annotations>") throws
    -> (example: DetectionExample, skipped: Int) {
    var e = DetectionExample(
      height: image.height, width: image.width, filename: image.fileName, sourceId: String(image.id),
      keySHA256: SHA256.hexDigest(jpeg), encodedImage: jpeg, format: "jpeg",
      hasObjectFeatures: !annotations.isEmpty)
    var skipped = 0
    let w = Double(image.width), h = Double(image.height)
    for a in annotations {
      guard a.bbox.count == 4 else {
        throw DataError(.invalidInput(path: annotationsPath, detail: "annotation of image \(image.id) has a bbox with \(a.bbox.count) numbers, expected [x, y, w, h]"))
      }
      let (x, y, bw, bh) = (a.bbox[0], a.bbox[1], a.bbox[2], a.bbox[3])
      if bw <= 0 || bh <= 0 || x + bw > w || y + bh > h {
        skipped += 1
        continue
      }
      guard let name = categoryNames[a.categoryId] else {
        throw DataError(.invalidInput(path: annotationsPath, detail: "annotation of image \(image.id) has category_id \(a.categoryId), which is not in 'categories'"))
      }
      e.xmin.append(Float(x / w))
      e.xmax.append(Float((x + bw) / w))
      e.ymin.append(Float(y / h))
      e.ymax.append(Float((y + bh) / h))
      e.isCrowd.append(a.isCrowd != 0)
      e.classes.append(a.categoryId)
      e.classLabels.append(Int64(a.categoryId))
      e.classTexts.append(name)
      e.area.append(Float(a.area))
    }
    return (e, skipped)
  }

  /// Converts all images into `shards` files named from `outputPrefix` (its directory is
  /// created). `progress(done, total, skipped)` is called from the calling thread after
  /// each batch. Images are read and encoded in parallel batches and written in order.
  /// The shards are written under temporary names (`<name>.incomplete`) and renamed to their
  /// final names only once every image is written; on failure the temporary files are
  /// removed, so no file appears under a final name (an older one there is left alone).
  public func run(outputPrefix: String, shards: Int,
                  progress: ((Int, Int, Int) -> Void)? = nil) throws -> Report {
    precondition(shards >= 1, "shards must be >= 1")
    let directory = PathParts.parent(outputPrefix)
    if !directory.isEmpty {
      try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    var categoryNames: [Int: String] = [:]
    for c in instances.categories { categoryNames[c.id] = c.name }
    var byImage: [Int: [COCOInstances.Annotation]] = [:]
    for a in instances.annotations { byImage[a.imageId, default: []].append(a) }

    var report = Report()
    report.outputFiles = (0..<shards).map { Self.shardPath(prefix: outputPrefix, index: $0, count: shards) }
    let temporary = report.outputFiles.map { Self.temporaryPath($0) }
    var writers: [TFRecordWriter] = []
    do {
      for path in temporary { writers.append(try TFRecordWriter(path: path)) }
      try write(to: writers, shards: shards, byImage: byImage, categoryNames: categoryNames, report: &report,
                progress: progress)
      for w in writers { try w.close() }
      for (from, to) in zip(temporary, report.outputFiles) where rename(from, to) != 0 {
        throw DataError(.io(path: to, operation: "rename from \(from)", errno: errno))
      }
    } catch {
      for w in writers { try? w.close() }
      for path in temporary { unlink(path) }
      throw error
    }
    return report
  }

  /// `<final path>.incomplete`: where a shard is written until the whole conversion succeeds.
  public static func temporaryPath(_ finalPath: String) -> String { finalPath + ".incomplete" }

  private func write(to writers: [TFRecordWriter], shards: Int, byImage: [Int: [COCOInstances.Annotation]],
                     categoryNames: [Int: String], report: inout Report,
                     progress: ((Int, Int, Int) -> Void)?) throws {
    let images = instances.images
    let batch = 32
    var start = 0
    while start < images.count {
      let end = min(images.count, start + batch)
      var results = [Result<([UInt8], Int, Int), Error>?](repeating: nil, count: end - start)
      results.withUnsafeMutableBufferPointer { out in
        let out = UncheckedBuffer(out)
        DispatchQueue.concurrentPerform(iterations: end - start) { k in
          let image = images[start + k]
          out.buffer[k] = Result {
            let path = (imagesDirectory as NSString).appendingPathComponent(image.fileName)
            let jpeg = try FileBytes.read(path, purpose: "read image (listed in \(annotationsPath))")
            let (example, skipped) = try Self.makeExample(
              image: image, jpeg: jpeg, annotations: byImage[image.id] ?? [],
              categoryNames: categoryNames, annotationsPath: annotationsPath)
            return (example.tfExample(style: style).serialized(), skipped, example.objectCount)
          }
        }
      }
      for (k, r) in results.enumerated() {
        let (payload, skipped, written) = try r!.get()
        try writers[(start + k) % shards].write(payload)
        report.images += 1
        report.annotationsSkipped += skipped
        report.annotationsWritten += written
        if byImage[images[start + k].id] == nil { report.imagesWithoutAnnotations += 1 }
      }
      start = end
      progress?(start, images.count, report.annotationsSkipped)
    }
  }
}

/// Lets concurrentPerform workers write distinct slots of one buffer.
private struct UncheckedBuffer<T>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<T>
  init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
