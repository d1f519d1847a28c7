import Testing
@testable import Evaluation

/// `ssd eval` on a training run's detections-STEP.json: hashed image ids map back to COCO ids.
struct DetectionImageIDTests {
  let gt = COCO(images: [COCOImage(id: 415541), COCOImage(id: 7)], annotations: [],
                categories: [COCOCategory(id: 1, name: "a")])
  let box = COCOBox(x: 1, y: 1, width: 2, height: 2)

  @Test func cocoIDsStayAsTheyAre() throws {
    let dets = [COCODetection(imageID: 7, categoryID: 1, bbox: box, score: 0.5)]
    let r = try COCODetection.pairedImageIDs(dets, groundTruth: gt, detectionsSource: "d", groundTruthSource: "g")
    #expect(!r.remapped && r.detections == dets)
  }

  @Test func hashedIDsAreMappedBack() throws {
    // spec §9.1's example: source id "415541" hashes to 727760757.
    let dets = [COCODetection(imageID: 727760757, categoryID: 1, bbox: box, score: 0.5),
                COCODetection(imageID: COCOImage.hashedID(sourceID: "7"), categoryID: 1, bbox: box, score: 0.4)]
    let r = try COCODetection.pairedImageIDs(dets, groundTruth: gt, detectionsSource: "d", groundTruthSource: "g")
    #expect(r.remapped && r.detections.map(\.imageID) == [415541, 7])
  }

  @Test func otherIDsSayHowToFixIt() {
    let dets = [COCODetection(imageID: 12345, categoryID: 1, bbox: box, score: 0.5)]
    #expect(throws: COCOError.unmatchedImageIDs(source: "d", groundTruth: "g", count: 1, example: 12345)) {
      try COCODetection.pairedImageIDs(dets, groundTruth: gt, detectionsSource: "d", groundTruthSource: "g")
    }
    let text = COCOError.unmatchedImageIDs(source: "d", groundTruth: "g", count: 1, example: 12345).description
    #expect(text.contains("--eval_annotations"))
  }
}
