import Testing
@testable import Evaluation

// IoU as pycocotools' maskApi.c bbIou computes it; hand-computed values, exact (0 tolerance:
// every case is exactly representable or a single correctly rounded division).

@Test func iouOfOverlappingBoxes() {
  let d = COCOBox(x: 0, y: 0, width: 10, height: 10)
  let g = COCOBox(x: 5, y: 5, width: 10, height: 10)
  #expect(d.iou(groundTruth: g, groundTruthIsCrowd: false) == 25.0 / 175.0)
  // Crowd: intersection over the detection's own area.
  #expect(d.iou(groundTruth: g, groundTruthIsCrowd: true) == 0.25)
  #expect(d.iou(groundTruth: d, groundTruthIsCrowd: false) == 1)
}

@Test func iouIsZeroWithoutPositiveOverlap() {
  let d = COCOBox(x: 0, y: 0, width: 10, height: 10)
  #expect(d.iou(groundTruth: COCOBox(x: 10, y: 0, width: 5, height: 5), groundTruthIsCrowd: false) == 0)  // touching
  #expect(d.iou(groundTruth: COCOBox(x: 0, y: 20, width: 5, height: 5), groundTruthIsCrowd: true) == 0)
  #expect(d.iou(groundTruth: COCOBox(x: 2, y: 2, width: 0, height: 5), groundTruthIsCrowd: false) == 0)    // empty box
}

@Test func iouOfContainedBoxes() {
  let big = COCOBox(x: 0, y: 0, width: 100, height: 100)
  let small = COCOBox(x: 10, y: 10, width: 10, height: 10)
  #expect(small.iou(groundTruth: big, groundTruthIsCrowd: false) == 0.01)
  #expect(small.iou(groundTruth: big, groundTruthIsCrowd: true) == 1)   // inside a crowd region
  #expect(big.iou(groundTruth: small, groundTruthIsCrowd: true) == 0.01)
}
