import Data
import Model

/// The payload encoding of one evaluation result (`EvaluatedMessage`). Decoding checks every
/// count and range before building the values, so a garbled payload throws `WireError`.
extension EvaluatedImage: WireCodable {
  public func encode(to w: inout WireWriter) {
    w.int(sampleIndex)
    w.string(info.sourceId)
    w.string(info.filename)
    w.ints([info.storedHeight, info.storedWidth, info.decodedHeight, info.decodedWidth])
    w.ints(info.isCrowd.map { $0 ? 1 : 0 })
    w.floats(info.area)
    w.bool(info.location != nil)
    if let l = info.location {
      w.string(l.file)
      w.int(l.recordIndex)
      w.int(l.byteOffset)
    }
    w.floats(groundTruth.boxes.flatMap { [$0.ymin, $0.xmin, $0.ymax, $0.xmax] })
    w.ints(groundTruth.classes.map(Int.init))
    w.floats(groundTruth.weights)
    w.floats(detections.boxes)
    w.floats(detections.scores)
    w.ints(detections.classes)
    w.ints(detections.anchorIndices)
    w.int(detections.count)
    w.bool(losses != nil)
    if let l = losses {
      for v in [l.classification, l.localization, l.regularization, l.total] { w.float(v) }
    }
  }

  public init(from r: inout WireReader) throws {
    let index = try r.int(in: 0...Int.max, "sample index")
    let sourceId = try r.string(), filename = try r.string()
    let sizes = try r.ints()
    guard sizes.count == 4, sizes.allSatisfy({ $0 >= 0 }) else {
      throw WireError(what: r.what, reason: "image sizes \(sizes) are not 4 non-negative numbers")
    }
    let crowdFlags = try r.ints()
    guard crowdFlags.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw WireError(what: r.what, reason: "crowd flag not 0 or 1") }
    let area = try r.floats()
    var location: RecordLocation?
    if try r.bool() {
      location = RecordLocation(file: try r.string(), recordIndex: try r.int(), byteOffset: try r.int())
    }
    let flat = try r.floats()
    guard flat.count % 4 == 0 else { throw WireError(what: r.what, reason: "ground-truth boxes are not groups of 4") }
    let boxes = stride(from: 0, to: flat.count, by: 4).map {
      BoundingBox(ymin: flat[$0], xmin: flat[$0 + 1], ymax: flat[$0 + 2], xmax: flat[$0 + 3])
    }
    let classes = try r.ints().map { c -> Int32 in
      guard let c32 = Int32(exactly: c) else { throw WireError(what: r.what, reason: "class id \(c) is not a 32-bit integer") }
      return c32
    }
    let weights = try r.floats()
    guard classes.count == boxes.count, weights.count == boxes.count else {
      throw WireError(what: r.what, reason: "\(boxes.count) boxes with \(classes.count) classes and \(weights.count) weights")
    }
    var info = SampleInfo(sourceId: sourceId, filename: filename, storedHeight: sizes[0], storedWidth: sizes[1],
                          isCrowd: crowdFlags.map { $0 == 1 }, area: area, location: location)
    info.decodedHeight = sizes[2]
    info.decodedWidth = sizes[3]
    let detBoxes = try r.floats(), scores = try r.floats(), detClasses = try r.ints(), anchors = try r.ints()
    let count = try r.int()
    guard detBoxes.count == 4 * scores.count, detClasses.count == scores.count, anchors.count == scores.count,
          (0...scores.count).contains(count) else {
      throw WireError(what: r.what, reason: "detections of \(detBoxes.count) box values, \(scores.count) scores, "
                        + "\(detClasses.count) classes, \(anchors.count) anchors and count \(count) do not fit together")
    }
    var losses: EvaluationLosses?
    if try r.bool() {
      let v = try (0..<4).map { _ in try r.float() }
      losses = EvaluationLosses(classification: v[0], localization: v[1], regularization: v[2], total: v[3])
    }
    self.init(sampleIndex: index, info: info, groundTruth: GroundTruth(boxes: boxes, classes: classes, weights: weights),
              detections: Detections(receivedBoxes: detBoxes, scores: scores, classes: detClasses,
                                     anchorIndices: anchors, count: count),
              losses: losses)
  }
}
