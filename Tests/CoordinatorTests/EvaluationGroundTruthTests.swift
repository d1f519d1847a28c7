import Config
import Data
import Evaluation
import Foundation
@testable import Model
import Testing
@testable import Coordinator
@testable import Worker
import TestSupport
import Wire

/// Ground truth rebuilt from the val TFRecords (spec §9.1) equals the fixture's
/// `gt_from_tfrecord.json` (made by the 2018/2019 OD API evaluator's rules in Python/TF):
/// same boxes, box areas and crowd flags per image; image ids are the hashed source ids.
/// Tolerance 1e-12 relative: we subtract and multiply in float32 as the OD API's numpy code
/// does; the fixture's generator widened to float64 before subtracting (e.g. width
/// 105.95001220703121 there, the float32 105.95001220703125 here).
@Test func groundTruthFromRecordsMatchesFixture() throws {
  let source = try TFRecordSampleSource(inputPath: Fixtures.path("tfrecord/synth_val.record-*"),
                                        labelMap: LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt")))
  let empty = Detections(boxes: [], scores: [], classes: [], anchorIndices: [], count: 0)
  var images: [EvaluatedImage] = []
  for i in 0..<source.count {
    let s = try source.sample(i)
    var info = s.info
    info.decodedHeight = info.storedHeight
    info.decodedWidth = info.storedWidth
    images.append(EvaluatedImage(sampleIndex: i, info: info, groundTruth: s.groundTruth.droppingNaNBoxes(),
                                 detections: empty))
  }
  let categories = EvaluationGroundTruth.categories(
    labelMap: try LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt")), numClasses: 90)
  #expect(categories.count == 80)
  let (gt, dets) = try EvaluationGroundTruth.build(images, source: .fromRecords(categories: categories, maxBoxes: 100))
  #expect(dets.isEmpty)

  let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
    Fixtures.path("cocoeval/synth_val_end_to_end/gt_from_tfrecord.json")))) as! [String: Any]
  let expected = fixture["annotations"] as! [[String: Any]]
  #expect(gt.annotations.count == expected.count)
  #expect(gt.images.count == (fixture["images"] as! [Any]).count)
  for (a, e) in zip(gt.annotations, expected) {
    let hashed = Int(COCOImage.hashedID(sourceID: String(e["image_id"] as! Int)))
    #expect(a.imageID == hashed)
    #expect(a.categoryID == e["category_id"] as! Int)
    let b = e["bbox"] as! [Double]
    let got = [a.bbox.x, a.bbox.y, a.bbox.width, a.bbox.height, a.area]
    let want = b + [e["area"] as! Double]
    for (g, w) in zip(got, want) { #expect(abs(g - w) <= 1e-12 * max(1, abs(w)), "\(got) vs \(want)") }
    #expect(a.isCrowd == ((e["iscrowd"] as! Int) == 1))
  }
}

/// Detections of class slots outside the label map are dropped; ids, boxes in pixels.
@Test func detectionsBecomeCOCOResults() throws {
  var info = SampleInfo(sourceId: "42", storedHeight: 100, storedWidth: 200)
  info.decodedHeight = 100
  info.decodedWidth = 200
  let det = Detections(boxes: [0.1, 0.2, 0.5, 0.6, 0, 0, 1, 1], scores: [0.9, 0.8], classes: [0, 11],
                       anchorIndices: [3, 4], count: 2)
  let image = EvaluatedImage(sampleIndex: 0, info: info, groundTruth: .empty, detections: det)
  let cats = [COCOCategory(id: 1, name: "person"), COCOCategory(id: 13, name: "stop sign")]
  let (_, dets) = try EvaluationGroundTruth.build([image], source: .fromRecords(categories: cats, maxBoxes: 100))
  #expect(dets.count == 1)  // class slot 11 = id 12 is not a category
  #expect(dets[0].imageID == Int(COCOImage.hashedID(sourceID: "42")))
  #expect(dets[0].categoryID == 1)
  #expect(dets[0].bbox == COCOBox(x: Double(Float(0.2) * 200), y: Double(Float(0.1) * 100),
                                  width: Double(Float(0.6) * 200 - Float(0.2) * 200),
                                  height: Double(Float(0.5) * 100 - Float(0.1) * 100)))
  // With an instances JSON the COCO id is the decimal source id.
  let coco = COCO(images: [COCOImage(id: 42)], annotations: [], categories: cats)
  let (_, d2) = try EvaluationGroundTruth.build([image], source: .fromInstances(coco))
  #expect(d2.first?.imageID == 42)
}
