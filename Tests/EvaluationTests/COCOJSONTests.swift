import Foundation
import Testing
@testable import Evaluation
import TestSupport

// Parsing must give the float64 Python's json gives (correct rounding); errors must name
// the file, record and field.

@Test func numbersParseToCorrectlyRoundedDoubles() throws {
  let literals = ["0.8999999999999999", "0.35000000000000003", "0.22248360426521252", "66.52999877929688",
                  "5e-324", "2.2250738585072011e-308", "1.7976931348623157e308", "123456789.123456789", "1e10", "7"]
  let doc = "[" + literals.map { "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [\($0), 0, 1, 1], \"score\": \($0)}" }
    .joined(separator: ", ") + "]"
  let dets = try COCODetection.loadResults(jsonData: Data(doc.utf8))
  for (d, literal) in zip(dets, literals) {
    let want = try #require(Double(literal))  // Swift's own parser rounds correctly (strtod)
    #expect(d.score.bitPattern == want.bitPattern, "\(literal) parsed as \(d.score)")
    #expect(d.bbox.x.bitPattern == want.bitPattern)
  }
}

@Test func lenientIntegersAndCrowdFlags() throws {
  let doc = """
    {"images": [{"id": 3.0, "width": 10, "height": 20}],
     "annotations": [{"id": 1, "image_id": 3, "category_id": 2.0, "bbox": [1, 2, 3, 4], "area": 12, "iscrowd": true},
                     {"id": 2, "image_id": 3, "category_id": 2, "bbox": [1, 2, 3, 4], "area": 12.5}],
     "categories": [{"id": 2, "name": "bicycle", "supercategory": "vehicle"}], "info": {"x": 1}}
    """
  let gt = try COCO(jsonData: Data(doc.utf8))
  #expect(gt.images == [COCOImage(id: 3, width: 10, height: 20)])
  #expect(gt.annotations.map(\.isCrowd) == [true, false])
  #expect(gt.annotations[0].categoryID == 2)
  #expect(gt.annotations[1].area == 12.5)
  #expect(gt.categories == [COCOCategory(id: 2, name: "bicycle", supercategory: "vehicle")])
}

@Test func malformedRecordsAreNamed() throws {
  let shortBox = #"{"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "area": 1}, {"id": 2, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3], "area": 1}]}"#
  #expect(throws: COCOError.invalidField(source: "gt.json", location: "annotations[1].bbox",
                                         reason: "has 3 numbers, expected 4 ([x, y, width, height])")) {
    try COCO(jsonData: Data(shortBox.utf8), source: "gt.json")
  }
  let noScore = #"[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "score": 1}, {"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}]"#
  #expect(throws: COCOError.invalidField(source: "dt.json", location: "[1]", reason: "missing field \"score\"")) {
    try COCODetection.loadResults(jsonData: Data(noScore.utf8), source: "dt.json")
  }
  let badID = #"[{"image_id": "x", "category_id": 1, "bbox": [0, 0, 1, 1], "score": 1}]"#
  do {
    _ = try COCODetection.loadResults(jsonData: Data(badID.utf8), source: "dt.json")
    Issue.record("a string image_id was accepted")
  } catch let error as COCOError {
    guard case let .invalidField(_, location, _) = error else { Issue.record("wrong error \(error)"); return }
    #expect(location == "[0].image_id")
  }
}

@Test func wrongTopLevelAndMissingFilesAreReported() throws {
  #expect(throws: COCOError.self) { try COCODetection.loadResults(jsonData: Data("{\"a\": 1}".utf8)) }
  #expect(throws: COCOError.self) { try COCO(jsonData: Data("not json".utf8)) }
  do {
    _ = try COCO(contentsOf: "/nonexistent/gt.json")
    Issue.record("missing file accepted")
  } catch let error as COCOError {
    guard case .unreadableFile(let source, _) = error else { Issue.record("wrong error \(error)"); return }
    #expect(source == "/nonexistent/gt.json")
    #expect(error.description.contains("/nonexistent/gt.json"))
  }
}

@Test func writersRoundTripExactly() throws {
  let gt = try COCO(contentsOf: Fixtures.path("cocoeval/synth_val_end_to_end/gt_from_tfrecord.json"))
  let back = try COCO(jsonData: gt.jsonData())
  #expect(back.images == gt.images)
  #expect(back.annotations == gt.annotations)
  #expect(back.categories == gt.categories)
  let dets = try COCODetection.loadResults(contentsOf: Fixtures.path("cocoeval/04_many_dets/detections.json"))
  #expect(try COCODetection.loadResults(jsonData: COCODetection.resultsJSON(dets)) == dets)
  #expect(try COCODetection.loadResults(jsonData: COCODetection.resultsJSON([])) == [])
}

@Test func metricsJSONHasTheReportedNames() throws {
  let gt = try COCO(contentsOf: Fixtures.path("cocoeval/01_basic/gt.json"))
  let dets = try COCODetection.loadResults(contentsOf: Fixtures.path("cocoeval/01_basic/detections.json"))
  let metrics = try COCOEvaluator(groundTruth: gt, detections: dets).run()
  let object = try #require(try JSONSerialization.jsonObject(with: metrics.jsonData()) as? [String: Any])
  let named = try #require(object["metrics"] as? [String: Any])
  #expect(Set(named.keys) == Set(COCOMetrics.statNames))
  #expect(COCOMetrics.statNames[1] == "DetectionBoxes_Precision/mAP@.50IOU")
  #expect(COCOMetrics.statNames[11] == "DetectionBoxes_Recall/AR@100 (large)")
  // Exact values: read back with JSONDecoder (JSONSerialization rounds some doubles).
  struct Stats: Decodable { var stats: [Double] }
  #expect(try JSONDecoder().decode(Stats.self, from: metrics.jsonData()).stats == metrics.stats)
  #expect((object["per_category"] as? [Any])?.count == gt.categories.count)
}
