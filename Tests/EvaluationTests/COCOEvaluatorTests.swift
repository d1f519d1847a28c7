import Foundation
import Testing
@testable import Evaluation

// Oracle for the quirk cases: pycocotools 2.0.11 / numpy 2.4.6, in-memory datasets built by
// this script (kept here so the numbers can be regenerated; run with python3):
//
//   import io, contextlib
//   from pycocotools.coco import COCO
//   from pycocotools.cocoeval import COCOeval
//   def run(images, anns, dets):
//       gt = COCO(); gt.dataset = {"images": [{"id": i} for i in images], "annotations": anns,
//                                  "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}
//       with contextlib.redirect_stdout(io.StringIO()):
//           gt.createIndex(); dt = gt.loadRes(dets)
//           E = COCOeval(gt, dt, "bbox"); E.evaluate(); E.accumulate(); E.summarize()
//       return [float(s) for s in E.stats]
//   def ann(i, img, cat, box, crowd=0, area=None):
//       return {"id": i, "image_id": img, "category_id": cat, "bbox": box,
//               "area": box[2]*box[3] if area is None else area, "iscrowd": crowd}
//   def det(img, cat, box, s): return {"image_id": img, "category_id": cat, "bbox": box, "score": s}
//   (the three cases below, written the same way)
//
// Tolerance: exact (0) — these are small sums; the fixtures test covers 1e-12 on larger ones.

private func ann(_ id: Int, _ image: Int, _ category: Int, _ b: [Double], crowd: Bool = false, area: Double? = nil)
  -> COCOAnnotation {
  COCOAnnotation(id: id, imageID: image, categoryID: category, bbox: COCOBox(x: b[0], y: b[1], width: b[2], height: b[3]),
                 area: area ?? b[2] * b[3], isCrowd: crowd)
}

private func det(_ image: Int, _ category: Int, _ b: [Double], _ score: Double) -> COCODetection {
  COCODetection(imageID: image, categoryID: category, bbox: COCOBox(x: b[0], y: b[1], width: b[2], height: b[3]), score: score)
}

private func stats(_ images: [Int], _ anns: [COCOAnnotation], _ dets: [COCODetection]) throws -> [Double] {
  let gt = COCO(images: images.map { COCOImage(id: $0) }, annotations: anns,
                categories: [COCOCategory(id: 1, name: "a"), COCOCategory(id: 2, name: "b")])
  let evaluator = try COCOEvaluator(groundTruth: gt, detections: dets)
  let evaluations = evaluator.evaluate()
  let acc = evaluator.accumulate(evaluations)
  #expect(acc == evaluator.accumulateReference(evaluations))
  return evaluator.summarize(acc).stats
}

@Test func annotationIDZeroCountsAsFalsePositive() throws {
  let s = try stats([1], [ann(0, 1, 1, [10, 10, 50, 50]), ann(5, 1, 1, [100, 100, 40, 40])],
                    [det(1, 1, [10, 10, 50, 50], 0.9), det(1, 1, [100, 100, 40, 40], 0.8)])
  #expect(s == [0.2524752475247525, 0.2524752475247525, 0.2524752475247525, -1.0, 0.2524752475247525, -1.0,
                0.0, 0.5, 0.5, -1.0, 0.5, -1.0])
}

@Test func duplicateAnnotationIDsEvaluateTheLastCopy() throws {
  let s = try stats([1, 2], [ann(7, 1, 1, [10, 10, 50, 50]), ann(7, 1, 1, [200, 200, 30, 30]), ann(8, 2, 2, [5, 5, 20, 20])],
                    [det(1, 1, [10, 10, 50, 50], 0.9), det(1, 1, [200, 200, 30, 30], 0.8),
                     det(1, 1, [201, 200, 30, 30], 0.7), det(2, 2, [5, 5, 20, 21], 0.6)])
  #expect(s == [0.8126237623762375, 0.8333333333333333, 0.8333333333333333, 0.9752475247524752, -1.0, -1.0,
                0.5, 0.975, 0.975, 0.975, -1.0, -1.0])
}

@Test func crowdRegionAbsorbsDetectionsAndTiesStayStable() throws {
  let s = try stats([1, 2], [ann(1, 1, 1, [0, 0, 100, 100], crowd: true, area: 3000), ann(2, 1, 1, [10, 10, 30, 30]),
                             ann(3, 2, 1, [50, 50, 60, 60])],
                    [det(1, 1, [10, 10, 30, 30], 0.5), det(1, 1, [12, 10, 30, 30], 0.5), det(1, 1, [60, 60, 20, 20], 0.7),
                     det(2, 1, [50, 50, 60, 60], 0.5), det(2, 1, [0, 0, 10, 10], 0.5)])
  #expect(s == [1.0, 1.0, 1.0, 0.9999999999999998, 0.9999999999999998, -1.0, 0.5, 1.0, 1.0, 1.0, 1.0, -1.0])
}

@Test func noDetectionsGiveZeroWhereThereIsGroundTruth() throws {
  let s = try stats([1, 2], [ann(1, 1, 1, [0, 0, 20, 20]), ann(2, 2, 2, [0, 0, 200, 200])], [])
  // AP/AR 0 for all, small, large; -1 for medium (no ground truth there).
  #expect(s == [0, 0, 0, 0, -1, 0, 0, 0, 0, 0, -1, 0])
}

@Test func detectionsForUnknownImagesAreRejected() {
  let gt = COCO(images: [COCOImage(id: 1)], annotations: [], categories: [COCOCategory(id: 1, name: "a")])
  #expect(throws: COCOError.detectionForUnknownImage(source: "dt.json", index: 1, imageID: 99)) {
    try COCOEvaluator(groundTruth: gt, detections: [det(1, 1, [0, 0, 1, 1], 1), det(99, 1, [0, 0, 1, 1], 1)],
                      detectionsSource: "dt.json")
  }
}

@Test func unlistedCategoriesAndImagesWithoutGroundTruthAreHandled() throws {
  let gt = COCO(images: [COCOImage(id: 1), COCOImage(id: 2)], annotations: [ann(1, 1, 1, [0, 0, 10, 10])],
                categories: [COCOCategory(id: 1, name: "a")])
  let evaluator = try COCOEvaluator(groundTruth: gt, detections: [det(1, 1, [0, 0, 10, 10], 0.9),
                                                                   det(1, 12, [0, 0, 10, 10], 0.95),
                                                                   det(2, 1, [0, 0, 10, 10], 0.8)])
  #expect(evaluator.detectionCount == 2)
  let metrics = evaluator.run()
  // The unmatched detection on image 2 ranks below the match: AP 1 up to the 2^-52 that
  // pycocotools adds to precision's denominator (tolerance 1e-12).
  #expect(abs(metrics.stats[0] - 1) < 1e-12)
  #expect(metrics.perCategory.map(\.id) == [1])
  #expect(abs(metrics.perCategory[0].ap - 1) < 1e-12 && abs(metrics.perCategory[0].ap50 - 1) < 1e-12)
  #expect(metrics.stats[6] == 1)  // AR@1: recall is exact
}

/// A random ground truth and detections with crowds, all size classes, tied scores and
/// images with more than 100 detections; deterministic.
func randomCOCOCase(images: Int, categories: Int, seed: UInt64) -> (COCO, [COCODetection]) {
  var state = seed
  func next() -> UInt64 {
    state &+= 0x9E3779B97F4A7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
    return z ^ (z >> 31)
  }
  func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
  func j(_ v: Double) -> Double { v * (1 + 0.2 * (uniform() - 0.5)) }
  var anns: [COCOAnnotation] = [], dets: [COCODetection] = []
  for image in 1...images {
    let objects = Int(next() % 12)
    var boxes: [(COCOBox, Int)] = []
    for _ in 0..<objects {
      let side = [8.0, 40.0, 150.0][Int(next() % 3)] * (0.5 + uniform())
      let box = COCOBox(x: uniform() * 500, y: uniform() * 400, width: side * (0.5 + uniform()), height: side)
      let category = 1 + Int(next() % UInt64(categories))
      let crowd = next() % 15 == 0
      anns.append(COCOAnnotation(id: anns.count + 1, imageID: image, categoryID: category, bbox: box,
                                 area: crowd ? box.area * 0.6 : box.area * (0.7 + 0.3 * uniform()), isCrowd: crowd))
      boxes.append((box, category))
    }
    let count = next() % 10 == 0 ? 150 : Int(next() % 30)
    for _ in 0..<count {
      let score = next() % 4 == 0 ? 0.5 : (uniform() * 20).rounded() / 20
      if let (b, c) = boxes.isEmpty || next() % 3 == 0 ? nil : boxes[Int(next() % UInt64(boxes.count))] {
        dets.append(COCODetection(imageID: image, categoryID: next() % 8 == 0 ? 1 + Int(next() % UInt64(categories)) : c,
                                  bbox: COCOBox(x: j(b.x + 1), y: j(b.y + 1), width: j(b.width), height: j(b.height)),
                                  score: score))
      } else {
        let side = 5 + uniform() * 200
        dets.append(COCODetection(imageID: image, categoryID: 1 + Int(next() % UInt64(categories)),
                                  bbox: COCOBox(x: uniform() * 500, y: uniform() * 400, width: side, height: side * (0.5 + uniform())),
                                  score: score))
      }
    }
  }
  let gt = COCO(images: (1...images).map { COCOImage(id: $0) }, annotations: anns,
                categories: (1...categories).map { COCOCategory(id: $0, name: "c\($0)") })
  return (gt, dets)
}

@Test(arguments: [1, 2, 3])
func fastAccumulateEqualsLiteralPort(seed: UInt64) throws {
  let (gt, dets) = randomCOCOCase(images: 40, categories: 4, seed: seed)
  let evaluator = try COCOEvaluator(groundTruth: gt, detections: dets)
  let evaluations = evaluator.evaluate()
  #expect(evaluations == evaluator.evaluateReference())  // the IoU shortcut changes nothing
  let fast = evaluator.accumulate(evaluations), reference = evaluator.accumulateReference(evaluations)
  #expect(fast == reference)  // bit for bit
  let stats = evaluator.summarize(fast).stats
  #expect(stats.allSatisfy { $0 == -1 || (0...1).contains($0) })
  #expect(stats[0] > 0)
}

@Test func fastAccumulateEqualsLiteralPortOnSyntheticData() throws {
  // 120 detections per image: more than maxDets = 100, so truncation is exercised.
  let (gt, dets) = COCOSyntheticData.make(images: 25, categories: 6, detectionsPerImage: 120, seed: 9)
  let evaluator = try COCOEvaluator(groundTruth: gt, detections: dets)
  let evaluations = evaluator.evaluate()
  #expect(evaluations == evaluator.evaluateReference())
  #expect(evaluator.accumulate(evaluations) == evaluator.accumulateReference(evaluations))
  #expect(evaluator.summarize(evaluator.accumulate(evaluations)).stats[0] > 0)
}

// Oracle: pycocotools 2.0.11 on this synthetic case written out by
//   ssd bench eval --images 300 --categories 20 --detections_per_image 130 --seed 5 \
//     --write_ground_truth gt.json --write_detections dt.json
// then COCOeval(COCO('gt.json'), loadRes('dt.json'), 'bbox') evaluate/accumulate/summarize;
// per-category AP = mean of precision[:, :, k, 0, 2] > -1 (ap50: IoU index 0).
// Exact equality: every number was bit-identical when recorded. If COCOSyntheticData
// changes, re-record with the commands above.
@Test func syntheticCaseMatchesRecordedPycocotools() throws {
  let (gt, dets) = COCOSyntheticData.make(images: 300, categories: 20, detectionsPerImage: 130, seed: 5)
  #expect(gt.annotations.count == 2081 && dets.count == 39000)
  let metrics = try COCOEvaluator(groundTruth: gt, detections: dets).run()
  #expect(metrics.stats == [0.121465785157989, 0.25567477022770724, 0.09034943590746017, 0.21050624805855053,
                            0.14735135583401274, 0.08209410188938378, 0.253026498483857, 0.6517644614395199,
                            0.6839385997502225, 0.6824278656376933, 0.6908841619388701, 0.6739963301159212])
  let byID = Dictionary(uniqueKeysWithValues: metrics.perCategory.map { ($0.id, $0) })
  #expect(byID[1]?.ap == 0.09379061195110648 && byID[1]?.ap50 == 0.185587244406043)
  #expect(byID[8]?.ap == 0.12736581091818028 && byID[8]?.ap50 == 0.28088769960077814)
  #expect(byID[20]?.ap == 0.11242208984405762 && byID[20]?.ap50 == 0.24420716142240495)
}
