import Testing
@testable import Data

@Test func flipMirrorsXCoordinates() {
  let gt = GroundTruth(boxes: [BoundingBox(ymin: 0.1, xmin: 0.2, ymax: 0.5, xmax: 0.7)], classes: [3])
  let f = gt.flippedLeftRight()
  #expect(f.boxes == [BoundingBox(ymin: 0.1, xmin: 1 - Float(0.7), ymax: 0.5, xmax: 1 - Float(0.2))])
  #expect(f.flippedLeftRight().boxes[0].xmin == Float(1) - (Float(1) - Float(0.2)))
  #expect(f.classes == [3])
}

/// The four pruning/re-framing rules of `_strict_random_crop_image` on hand-made cases.
@Test func cropPrunesReframesAndClips() {
  let window = BoundingBox(ymin: 0.25, xmin: 0.5, ymax: 0.75, xmax: 1.0)
  let gt = GroundTruth(boxes: [
    BoundingBox(ymin: 0.3, xmin: 0.6, ymax: 0.5, xmax: 0.9),   // inside
    BoundingBox(ymin: 0.0, xmin: 0.0, ymax: 0.2, xmax: 0.4),   // completely outside
    BoundingBox(ymin: 0.2, xmin: 0.4, ymax: 0.5, xmax: 0.6),   // partly inside → clipped
    BoundingBox(ymin: 0.4, xmin: 0.7, ymax: 0.4, xmax: 0.8),   // zero area: 0/0 = NaN → dropped
    BoundingBox(ymin: 0.75, xmin: 0.6, ymax: 0.9, xmax: 0.7),  // ymin == window ymax → outside
  ], classes: [1, 2, 3, 4, 5], weights: [1, 1, 0.5, 1, 1])
  let out = gt.cropped(to: window, overlapThresh: 0, clip: true)
  #expect(out.classes == [1, 3])
  #expect(out.weights == [1, 0.5])
  let s: Float = 1 / 0.5
  #expect(out.boxes[0] == BoundingBox(ymin: s * (0.3 - 0.25), xmin: s * (0.6 - 0.5), ymax: s * (0.5 - 0.25), xmax: s * (0.9 - 0.5)))
  #expect(out.boxes[1] == BoundingBox(ymin: 0, xmin: 0, ymax: s * (0.5 - 0.25), xmax: s * (0.6 - 0.5)))
  // Without clipping the partly-inside box keeps coordinates outside [0, 1].
  let unclipped = gt.cropped(to: window, overlapThresh: 0, clip: false)
  #expect(unclipped.boxes[1].ymin < 0 && unclipped.boxes[1].xmin < 0)
  // overlap_thresh 0.5: the partly-inside box has ioa (0.25·0.1)/(0.3·0.2) ≈ 0.42 → dropped.
  #expect(gt.cropped(to: window, overlapThresh: 0.5, clip: true).classes == [1])
}

@Test func nanBoxesAreDroppedFirst() {
  let gt = GroundTruth(boxes: [BoundingBox(ymin: 0.1, xmin: 0.1, ymax: 0.2, xmax: 0.2),
                               BoundingBox(ymin: .nan, xmin: 0.1, ymax: 0.2, xmax: .nan)],
                       classes: [7, 8])
  #expect(gt.droppingNaNBoxes().classes == [7])
}
