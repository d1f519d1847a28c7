import Data
import Model

extension EvaluatedImage {
  /// Appends this image's result to a control-message payload (`evaluated` replies).
  public func write(to w: inout WireWriter) {
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
  }

  /// Reads one image written by `write(to:)`.
  public static func read(from r: inout WireReader) throws -> EvaluatedImage {
    let index = try r.int()
    let sourceId = try r.string(), filename = try r.string()
    let sizes = try r.ints()
    guard sizes.count == 4 else { throw WireError(what: r.what, reason: "image sizes have \(sizes.count) entries, not 4") }
    let crowd = try r.ints().map { $0 != 0 }
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
    let classes = try r.ints().map { Int32($0) }
    let weights = try r.floats()
    guard classes.count == boxes.count, weights.count == boxes.count else {
      throw WireError(what: r.what, reason: "\(boxes.count) boxes with \(classes.count) classes and \(weights.count) weights")
    }
    var info = SampleInfo(sourceId: sourceId, filename: filename, storedHeight: sizes[0], storedWidth: sizes[1],
                          isCrowd: crowd, area: area, location: location)
    info.decodedHeight = sizes[2]
    info.decodedWidth = sizes[3]
    let dets = Detections(receivedBoxes: try r.floats(), scores: try r.floats(), classes: try r.ints(),
                          anchorIndices: try r.ints(), count: try r.int())
    return EvaluatedImage(sampleIndex: index, info: info,
                          groundTruth: GroundTruth(boxes: boxes, classes: classes, weights: weights), detections: dets)
  }
}
