/// COCO bbox evaluation, equal to pycocotools' `COCOeval(gt, gt.loadRes(dets), 'bbox')`
/// followed by `evaluate()`, `accumulate()`, `summarize()` (spec §9.2), in float64.
///
/// ```swift
/// let gt = try COCO(contentsOf: "instances_val2017.json")
/// let dets = try COCODetection.loadResults(contentsOf: "detections.json")
/// let metrics = try COCOEvaluator(groundTruth: gt, detections: dets).run()
/// print(metrics.summary, terminator: "")     // pycocotools' 12 lines
/// ```
///
/// Preparation (`init`) does what `loadRes` and `_prepare` do: detections get ids
/// 1...N in list order and area `w*h`; ground truths and detections are grouped per
/// (category, image) in pycocotools' order (images ascending by id, then file order);
/// annotations and detections of categories not in the ground truth's category list are
/// dropped. `evaluate` matches per image and category (work proportional to the sum of
/// D·G over image-category pairs), `accumulate` sorts each category's detections once for
/// all area ranges and detection limits, `summarize` averages like numpy.
public struct COCOEvaluator: Sendable {
  public let params: COCOParams
  /// Evaluated image ids, ascending (I entries).
  public let imageIDs: [Int]
  /// Evaluated category ids, ascending (K entries).
  public let categoryIDs: [Int]
  /// Category name per entry of `categoryIDs` ("" if the ground truth gives none).
  public let categoryNames: [String]
  /// Ground truths taking part (annotations of listed images and categories).
  public let groundTruthCount: Int
  /// Detections taking part (those whose category is listed).
  public let detectionCount: Int

  // Per (category k, image i), key k * I + i, the bucket of ground truths (detections)
  // is positions start[key] ..< start[key + 1], in pycocotools' `_gts` (`_dts`) order.
  // `gtItems` / `dtItems` map a position to the annotation / results index; the box
  // arrays below are stored by position, so each bucket is contiguous in memory.
  let gtStart: [Int]
  let gtItems: [Int32]
  let dtStart: [Int]
  let dtItems: [Int32]
  let gtBoxes: [COCOBox]
  let gtAreas: [Double]
  let gtCrowd: [Bool]
  let gtIDs: [Int]
  /// Detection boxes and scores by position; the detection id is `dtItems[position] + 1`.
  let dtBoxes: [COCOBox]
  let dtScores: [Double]

  /// Prepares `detections` for evaluation against `groundTruth`.
  /// Throws `COCOError.detectionForUnknownImage` if a detection's image is not in
  /// `groundTruth.images` (`detectionsSource` names the detections in that message).
  public init(groundTruth: COCO, detections: [COCODetection], params: COCOParams = COCOParams(),
              detectionsSource: String = "<detections>") throws {
    self.params = params
    imageIDs = groundTruth.imageIDs
    categoryIDs = groundTruth.categoryIDs
    let names = groundTruth.categoryNames
    categoryNames = categoryIDs.map { names[$0] ?? "" }

    var imageIndex: [Int: Int] = [:]
    for (i, id) in imageIDs.enumerated() { imageIndex[id] = i }
    var categoryIndex: [Int: Int] = [:]
    for (k, id) in categoryIDs.enumerated() { categoryIndex[id] = k }
    let imageCount = imageIDs.count, keyCount = categoryIDs.count * imageIDs.count

    let anns = groundTruth.annotations

    // Ground truths: pycocotools walks images in ascending id order, each image's
    // annotations in file order, keeps listed categories, then looks each one up *by id*
    // (the last annotation with that id) and files it under that annotation's own
    // (image, category). With unique ids this is simply "group in file order".
    var lastWithID: [Int: Int] = [:]
    for (n, a) in anns.enumerated() { lastWithID[a.id] = n }
    var annotationsOfImage = [[Int32]](repeating: [], count: imageCount)
    for (n, a) in anns.enumerated() {
      if let i = imageIndex[a.imageID], categoryIndex[a.categoryID] != nil { annotationsOfImage[i].append(Int32(n)) }
    }
    var gtKeys: [(key: Int, item: Int32)] = []
    gtKeys.reserveCapacity(anns.count)
    for list in annotationsOfImage {
      for n in list {
        let e = lastWithID[anns[Int(n)].id]!
        guard let i = imageIndex[anns[e].imageID], let k = categoryIndex[anns[e].categoryID] else { continue }
        gtKeys.append((k * imageCount + i, Int32(e)))
      }
    }
    (gtStart, gtItems) = Self.buckets(gtKeys, keyCount: keyCount)
    groundTruthCount = gtKeys.count
    gtBoxes = gtItems.map { anns[Int($0)].bbox }
    gtAreas = gtItems.map { anns[Int($0)].area }
    gtCrowd = gtItems.map { anns[Int($0)].isCrowd }
    gtIDs = gtItems.map { anns[Int($0)].id }

    // Detections: every image must be known (loadRes' assertion); unlisted categories drop out.
    var dtKeys: [(key: Int, item: Int32)] = []
    dtKeys.reserveCapacity(detections.count)
    for (n, d) in detections.enumerated() {
      guard let i = imageIndex[d.imageID] else {
        throw COCOError.detectionForUnknownImage(source: detectionsSource, index: n, imageID: d.imageID)
      }
      if let k = categoryIndex[d.categoryID] { dtKeys.append((k * imageCount + i, Int32(n))) }
    }
    precondition(detections.count < Int(Int32.max) && anns.count < Int(Int32.max), "too many boxes for Int32 indices")
    (dtStart, dtItems) = Self.buckets(dtKeys, keyCount: keyCount)
    detectionCount = dtKeys.count
    dtBoxes = dtItems.map { detections[Int($0)].bbox }
    dtScores = dtItems.map { detections[Int($0)].score }
  }

  /// Stable counting sort of (key, item) pairs into CSR buckets.
  static func buckets(_ pairs: [(key: Int, item: Int32)], keyCount: Int) -> (start: [Int], items: [Int32]) {
    var start = [Int](repeating: 0, count: keyCount + 1)
    for p in pairs { start[p.key + 1] += 1 }
    for k in 0..<keyCount { start[k + 1] += start[k] }
    var fill = start
    var items = [Int32](repeating: 0, count: pairs.count)
    for p in pairs {
      items[fill[p.key]] = p.item
      fill[p.key] += 1
    }
    return (start, items)
  }

  /// `evaluate()`, `accumulate()` and `summarize()` in one call.
  public func run() -> COCOMetrics {
    summarize(accumulate(evaluate()))
  }
}
