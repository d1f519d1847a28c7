extension COCODetection {
  /// Detections paired with `groundTruth`'s images: as they are when every `image_id` is an
  /// image of the ground truth; otherwise, when every `image_id` is the hashed id of one of
  /// its images (`COCOImage.hashedID(sourceID: String(id))`: what training writes into
  /// `detections-STEP.json` when it rebuilds the ground truth from the eval records, whose
  /// `image/source_id` is the COCO id as text), mapped back to the COCO ids. `remapped` says
  /// which. Throws `COCOError.unmatchedImageIDs` when neither holds.
  public static func pairedImageIDs(_ detections: [COCODetection], groundTruth: COCO, detectionsSource: String,
                                    groundTruthSource: String) throws -> (detections: [COCODetection], remapped: Bool) {
    let ids = Set(groundTruth.images.map(\.id))
    let unknown = detections.filter { !ids.contains($0.imageID) }
    guard let first = unknown.first else { return (detections, false) }
    var byHash: [Int: Int] = [:]
    for id in ids { byHash[COCOImage.hashedID(sourceID: String(id))] = id }
    let unhashed = detections.filter { byHash[$0.imageID] == nil }
    guard unhashed.isEmpty else {
      throw COCOError.unmatchedImageIDs(source: detectionsSource, groundTruth: groundTruthSource, count: unknown.count,
                                        example: first.imageID)
    }
    return (detections.map { d in
      var d = d
      d.imageID = byHash[d.imageID]!
      return d
    }, true)
  }
}
