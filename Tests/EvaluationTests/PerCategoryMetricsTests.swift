import Foundation
import Testing
@testable import Evaluation

/// `eval_config.include_metrics_per_category`: `DetectionBoxes_PerformanceByCategory/mAP/<name>`
/// for every ground-truth category, in the metrics JSON and the console table.
struct PerCategoryMetricsTests {
  func metrics() throws -> COCOMetrics {
    let box = COCOBox(x: 10, y: 10, width: 50, height: 50)
    let gt = COCO(images: [COCOImage(id: 1)],
                  annotations: [COCOAnnotation(id: 1, imageID: 1, categoryID: 1, bbox: box, area: 2500, isCrowd: false)],
                  categories: [COCOCategory(id: 1, name: "cat"), COCOCategory(id: 3, name: "dog")])
    let dets = [COCODetection(imageID: 1, categoryID: 1, bbox: box, score: 0.9)]
    return try COCOEvaluator(groundTruth: gt, detections: dets).run()
  }

  @Test func namesAndValuesFollowTheObjectDetectionAPI() throws {
    let m = try metrics()
    let per = m.perCategoryMetrics
    #expect(per.map(\.name) == ["DetectionBoxes_PerformanceByCategory/mAP/cat", "DetectionBoxes_PerformanceByCategory/mAP/dog"])
    // A perfect detection: AP 1 (up to numpy-order summation of 1010 ones, 1e-15); a category
    // without ground truth: -1 (pycocotools' "nothing to average").
    #expect(abs(per[0].value - 1) <= 1e-15 && per[1].value == -1)
    #expect(m.namedMetrics(includePerCategory: false).count == 12)
    #expect(m.namedMetrics(includePerCategory: true).count == 14)
  }

  @Test func jsonHoldsThemOnlyWhenAsked() throws {
    let m = try metrics()
    func metricsKeys(_ data: Data) throws -> [String: Double] {
      let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      return try #require(object["metrics"] as? [String: Double])
    }
    let plain = try metricsKeys(m.jsonData())
    #expect(plain.count == 12)
    let with = try metricsKeys(m.jsonData(includePerCategory: true))
    #expect(with.count == 14)
    #expect(abs(with["DetectionBoxes_PerformanceByCategory/mAP/cat"]! - 1) <= 1e-15)
    #expect(with["DetectionBoxes_PerformanceByCategory/mAP/dog"] == -1)
  }

  @Test func consoleTableListsThem() throws {
    let m = try metrics()
    #expect(m.consoleTable(includePerCategory: false) == m.summary)
    let table = m.consoleTable(includePerCategory: true)
    #expect(table.hasPrefix(m.summary))
    #expect(table.contains("DetectionBoxes_PerformanceByCategory/mAP/<name>"))
    #expect(table.contains("    1  cat    1.000\n") && table.contains("    3  dog   -1.000\n"), "\(table)")
  }

  @Test func aRepeatedNameKeepsItsFirstPlaceAndTheLastValue() {
    let m = COCOMetrics(stats: Array(repeating: 0, count: 12), summaryLines: [],
                        perCategory: [COCOCategoryAP(id: 1, name: "a", ap: 0.1, ap50: 0),
                                      COCOCategoryAP(id: 2, name: "b", ap: 0.2, ap50: 0),
                                      COCOCategoryAP(id: 3, name: "a", ap: 0.3, ap50: 0)],
                        imageCount: 0, groundTruthCount: 0, detectionCount: 0)
    #expect(m.perCategoryMetrics.map(\.name) == ["DetectionBoxes_PerformanceByCategory/mAP/a",
                                                 "DetectionBoxes_PerformanceByCategory/mAP/b"])
    #expect(m.perCategoryMetrics.map(\.value) == [0.3, 0.2])
  }
}
