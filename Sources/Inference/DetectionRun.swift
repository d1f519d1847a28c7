import Data
import Evaluation
import Foundation

/// What `ssd detect` does, as a library call: decode each image file, run the detector in
/// batches, convert to `DetectedObject`s, optionally draw them into JPEG copies. A file that
/// cannot be read or decoded (or whose drawing cannot be written) is recorded as a failure
/// and the run goes on with the rest.
public struct DetectionRun {
  public struct Options: Sendable {
    /// Images per forward pass (results do not depend on it).
    public var batchSize: Int = 1
    /// Detections with a lower score are left out of the results and drawings.
    public var minimumScore: Float = 0.3
    /// Write a copy of each image with its detections drawn into this directory.
    public var drawDirectory: String?
    public var jpegQuality: Int = 90
    public init() {}
  }

  /// The detections of one image file.
  public struct ImageResult: Sendable {
    public var path: String
    /// The COCO `image_id` written for it (see `imageIDs(for:)`).
    public var imageID: Int
    public var height: Int
    public var width: Int
    public var objects: [DetectedObject]
  }

  /// A file that was skipped, and why.
  public struct Failure: Sendable, Equatable {
    public var path: String
    public var message: String
  }

  public var results: [ImageResult] = []
  public var failures: [Failure] = []

  /// COCO image ids for files: a file-name stem that is a decimal integer is the id (COCO's
  /// `000000397133.jpg` → 397133); other files are numbered after the largest such id, in
  /// order. If two numeric stems are equal, every file gets its position 1…N instead.
  public static func imageIDs(for paths: [String]) -> [Int] {
    let numbers = paths.map { path -> Int? in
      let s = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
      guard !s.isEmpty, s.count <= 18, s.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
      return Int(s)
    }
    let numeric = numbers.compactMap { $0 }
    guard Set(numeric).count == numeric.count else { return paths.indices.map { $0 + 1 } }
    var next = (numeric.max() ?? 0) + 1
    return numbers.map { n in
      if let n { return n }
      defer { next += 1 }
      return next
    }
  }

  /// Runs `detector` over `paths`. `categories` maps COCO ids to names (nil: keep all ids);
  /// `log` receives one line per skipped file and per written drawing.
  public static func run(detector: Detector, paths: [String], categories: [Int: String]?, options: Options,
                         log: (String) -> Void = { _ in }) -> DetectionRun {
    var run = DetectionRun()
    let ids = imageIDs(for: paths)
    let decoder = JPEGDecoder()
    let encoder = JPEGEncoder()
    if let dir = options.drawDirectory {
      do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        for p in paths { run.failures.append(Failure(path: p, message: "cannot create --draw_dir \(dir): \(error)")) }
        return run
      }
    }
    var pending: [(index: Int, image: RGBImage)] = []
    func flush() {
      guard !pending.isEmpty else { return }
      let detections = detector.detect(pending.map(\.image))
      for (k, item) in pending.enumerated() {
        let path = paths[item.index]
        let objects = DetectedObject.from(detections[k], imageHeight: item.image.height,
                                          imageWidth: item.image.width, categories: categories,
                                          minimumScore: options.minimumScore)
        run.results.append(ImageResult(path: path, imageID: ids[item.index], height: item.image.height,
                                       width: item.image.width, objects: objects))
        if let dir = options.drawDirectory {
          var canvas = item.image
          BoxPainter(imageHeight: canvas.height, imageWidth: canvas.width).draw(objects, on: &canvas)
          let out = (dir as NSString).appendingPathComponent(drawingName(for: path))
          do {
            let bytes = try encoder.encode(canvas, quality: options.jpegQuality)
            try Foundation.Data(bytes).write(to: URL(fileURLWithPath: out))
            log("\(path): \(objects.count) detections drawn to \(out)")
          } catch {
            let message = InferenceError.cannotWrite(path: out, reason: "\(error)").description
            run.failures.append(Failure(path: path, message: message))
            log("\(path): skipped drawing: \(message)")
          }
        }
      }
      pending.removeAll(keepingCapacity: true)
    }
    for (i, path) in paths.enumerated() {
      do {
        pending.append((i, try ImageFiles.load(path, decoder: decoder)))
      } catch {
        run.failures.append(Failure(path: path, message: "\(error)"))
        log("skipped \(error)")
        continue
      }
      if pending.count >= max(1, options.batchSize) { flush() }
    }
    flush()
    return run
  }

  /// The drawing's file name: the image's base name with `.jpg`.
  static func drawingName(for path: String) -> String {
    (((path as NSString).lastPathComponent as NSString).deletingPathExtension) + ".jpg"
  }

  /// All detections as COCO results (a JSON list of `{image_id, category_id, bbox: [x, y,
  /// w, h], score}` in pixels, plus `category_name` and `file_name`, which COCO tools
  /// ignore), in file order then score order. Numbers are shortest round-trip decimals.
  public func resultsJSON() -> Foundation.Data {
    var out = "["
    var first = true
    for r in results {
      for o in r.objects {
        out += first ? "\n" : ",\n"
        first = false
        let b = o.bbox
        out += "{\"image_id\": \(r.imageID), \"category_id\": \(o.categoryID), \"bbox\": [\(num(b.x)), \(num(b.y)), "
          + "\(num(b.width)), \(num(b.height))], \"score\": \(num(Double(o.score))), "
          + "\"category_name\": \(JSONText.string(o.categoryName)), \"file_name\": \(JSONText.string(r.path))}"
      }
    }
    out += first ? "]\n" : "\n]\n"
    return Foundation.Data(out.utf8)
  }

  /// Results as `COCODetection`s (for scoring with `COCOEvaluator`).
  public var cocoDetections: [COCODetection] {
    results.flatMap { r in
      r.objects.map { COCODetection(imageID: r.imageID, categoryID: $0.categoryID, bbox: $0.bbox, score: Double($0.score)) }
    }
  }

  private func num(_ v: Double) -> String { v.isFinite ? "\(v)" : "0" }
}
