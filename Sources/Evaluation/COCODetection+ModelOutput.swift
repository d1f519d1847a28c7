extension COCODetection {
  /// One image's post-processed model output (spec §8.6–8.7) as COCO detections, the way
  /// the TF Object Detection API exports it for COCOeval.
  ///
  /// - Parameters:
  ///   - boxes: at least `count`·4 floats, `[ymin, xmin, ymax, xmax]` normalized per row
  ///     (`detection_boxes`); rows past `count` are padding and ignored.
  ///   - classIndices: 0-based class per row (`detection_classes`); COCO id = index + 1.
  ///   - scores: score per row (`detection_scores`).
  ///   - count: `num_detections`.
  ///   - categoryIDs: the evaluated ids (the label map's 80); rows with other ids are
  ///     dropped, after the top-100 selection, as in `ExportSingleImageDetectionBoxesToCoco`.
  /// - Returns: detections in row order, converted by `init(imageID:categoryID:normalizedBox:...)`.
  public static func fromModelOutput(imageID: Int, imageHeight: Int, imageWidth: Int, boxes: [Float],
                                     classIndices: [Int], scores: [Float], count: Int,
                                     categoryIDs: Set<Int>) -> [COCODetection] {
    precondition(count >= 0 && boxes.count >= 4 * count && classIndices.count >= count && scores.count >= count,
                 "image \(imageID): \(count) detections but \(boxes.count / 4) boxes, \(classIndices.count) classes, "
                   + "\(scores.count) scores")
    var out: [COCODetection] = []
    out.reserveCapacity(count)
    for i in 0..<count {
      let id = classIndices[i] + 1
      guard categoryIDs.contains(id) else { continue }
      out.append(COCODetection(
        imageID: imageID, categoryID: id,
        normalizedBox: (ymin: boxes[4 * i], xmin: boxes[4 * i + 1], ymax: boxes[4 * i + 2], xmax: boxes[4 * i + 3]),
        imageHeight: imageHeight, imageWidth: imageWidth, score: scores[i]))
    }
    return out
  }
}
