import Foundation
import Testing
@testable import Evaluation
import TestSupport

// Oracle: /work/shared/fixtures/cocoeval (see its README): pycocotools 2.0.11 / numpy 2.4.6,
// `COCOeval(COCO(gt.json), COCO.loadRes(detections.json), 'bbox')`, evaluate, accumulate,
// summarize. Tolerance 1e-12 absolute on every stat and per-category AP; printed lines equal.

let cocoEvalCases = ["01_basic", "02_crowd", "03_ties", "04_many_dets", "05_area_borders",
                     "06_empty_and_absent", "07_iou_thresholds"]

/// What a stats.json (or one `results` entry of the end-to-end case) records. Decoded with
/// JSONDecoder: JSONSerialization's NSNumber rounds some doubles (0.8999999999999999 comes
/// back as 0.8999999999999997), JSONDecoder reads them exactly.
struct ExpectedCOCOResult: Decodable {
  struct CategoryAP: Decodable { var ap: Double; var ap50: Double }
  var stats: [Double]
  var per_category: [String: CategoryAP]
  var summarize_output: String

  var summaryLines: [String] { summarize_output.split(separator: "\n").map(String.init) }
}

struct EndToEndStats: Decodable {
  var ground_truth_files: [String: String]
  var results: [String: ExpectedCOCOResult]
}

struct ParamsFixture: Decodable {
  var iouThrs: [Double]
  var recThrs: [Double]
  var maxDets: [Int]
  var areaRng: [[Double]]
  var areaRngLbl: [String]
}

func decodeFixture<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
  try JSONDecoder().decode(T.self, from: try Fixtures.data(relative))
}

/// Evaluates and checks against `expected`; returns how many of the 12 stats are bit-identical.
@discardableResult
func checkCOCOEval(gtPath: String, detectionsPath: String, expected: ExpectedCOCOResult) throws -> Int {
  let gt = try COCO(contentsOf: gtPath)
  let dets = try COCODetection.loadResults(contentsOf: detectionsPath)
  let evaluator = try COCOEvaluator(groundTruth: gt, detections: dets)
  let evaluations = evaluator.evaluate()
  #expect(evaluations == evaluator.evaluateReference(), "IoU shortcut changed the matching")
  let acc = evaluator.accumulate(evaluations)
  #expect(acc == evaluator.accumulateReference(evaluations), "fast accumulate differs from the literal port")
  let metrics = evaluator.summarize(acc)
  #expect(metrics.stats.count == 12)
  for (n, (got, want)) in zip(metrics.stats, expected.stats).enumerated() {
    #expect(abs(got - want) <= 1e-12, "stat \(n) (\(COCOMetrics.statNames[n])): got \(got), pycocotools \(want)")
  }
  #expect(metrics.summaryLines == expected.summaryLines)
  #expect(metrics.perCategory.count == expected.per_category.count)
  for c in metrics.perCategory {
    let want = try #require(expected.per_category[String(c.id)], "category \(c.id) missing from the oracle")
    #expect(abs(c.ap - want.ap) <= 1e-12, "category \(c.id) AP: got \(c.ap), pycocotools \(want.ap)")
    #expect(abs(c.ap50 - want.ap50) <= 1e-12, "category \(c.id) AP50: got \(c.ap50), pycocotools \(want.ap50)")
  }
  return zip(metrics.stats, expected.stats).filter { $0.0.bitPattern == $0.1.bitPattern }.count
}

@Test(arguments: cocoEvalCases)
func cocoEvalMatchesPycocotools(caseName: String) throws {
  let expected = try decodeFixture(ExpectedCOCOResult.self, "cocoeval/\(caseName)/stats.json")
  let identical = try checkCOCOEval(gtPath: Fixtures.path("cocoeval/\(caseName)/gt.json"),
                                    detectionsPath: Fixtures.path("cocoeval/\(caseName)/detections.json"),
                                    expected: expected)
  print("cocoeval \(caseName): \(identical)/12 stats bit-identical to pycocotools")
}

@Test func cocoEvalCaseListMatchesIndex() throws {
  let index = try #require(try Fixtures.json("cocoeval/index.json") as? [[String: Any]])
  #expect(index.compactMap { $0["dir"] as? String } == cocoEvalCases)
}

@Test(arguments: ["instances_json", "gt_from_tfrecord"])
func cocoEvalSynthEndToEnd(groundTruth: String) throws {
  let stats = try decodeFixture(EndToEndStats.self, "cocoeval/synth_val_end_to_end/stats.json")
  let gtPath = Fixtures.path("cocoeval/synth_val_end_to_end/" + (try #require(stats.ground_truth_files[groundTruth])))
  let identical = try checkCOCOEval(gtPath: gtPath,
                                    detectionsPath: Fixtures.path("cocoeval/synth_val_end_to_end/detections.json"),
                                    expected: try #require(stats.results[groundTruth]))
  print("cocoeval synth_val_end_to_end/\(groundTruth): \(identical)/12 stats bit-identical to pycocotools")
}

@Test func defaultParamsEqualPycocotools() throws {
  let p = try decodeFixture(ParamsFixture.self, "cocoeval/params.json")
  let params = COCOParams()
  #expect(params.iouThresholds == p.iouThrs)
  #expect(params.recallThresholds == p.recThrs)
  #expect(params.iouThresholds[8] == 0.8999999999999999)
  #expect(params.maxDetections == p.maxDets)
  #expect(params.areaRanges.map { [$0.lower, $0.upper] } == p.areaRng)
  #expect(params.areaRanges.map(\.label) == p.areaRngLbl)
}
