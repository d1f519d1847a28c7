import Foundation
import Testing
@testable import Evaluation
import TestSupport

// gt_from_tfrecord.json (fixtures/cocoeval/synth_val_end_to_end) was made from the val
// TFRecords like the 2018/2019 TF Object Detection API evaluator; the manifest holds the
// stored float32 box values. Rebuilding from those must give the same file, value for value.

private struct Manifest: Decodable {
  struct File: Decodable { var records: [Record] }
  struct Record: Decodable {
    var height: Int, width: Int, source_id: String, filename: String
    var xmin: [Double]?, ymin: [Double]?, xmax: [Double]?, ymax: [Double]?
    var label: [Int]?, is_crowd: [Int]?
  }
  var files: [File]
}

@Test func builderReproducesGroundTruthFromTFRecords() throws {
  let manifest = try JSONDecoder().decode(Manifest.self, from: Fixtures.data("tfrecord/manifest_synth_val.json"))
  let expected = try COCO(contentsOf: Fixtures.path("cocoeval/synth_val_end_to_end/gt_from_tfrecord.json"))
  var builder = COCOGroundTruthBuilder(categories: expected.categories)
  for record in manifest.files.flatMap(\.records) {
    let n = record.label?.count ?? 0
    var boxes: [Float] = []
    for i in 0..<n {
      boxes += [Float(record.ymin![i]), Float(record.xmin![i]), Float(record.ymax![i]), Float(record.xmax![i])]
    }
    let added = builder.addImage(id: try #require(Int(record.source_id)), height: record.height, width: record.width,
                                 normalizedBoxes: boxes, classes: record.label ?? [],
                                 isCrowd: (record.is_crowd ?? []).map { $0 != 0 }, fileName: record.filename)
    #expect(added)
  }
  let built = builder.groundTruth
  #expect(built.images.map(\.id) == expected.images.map(\.id))
  #expect(built.annotations.count == expected.annotations.count)
  for (b, e) in zip(built.annotations, expected.annotations) {
    #expect(b == e, "annotation \(e.id)")
  }
}

@Test func builderSkipsUnknownClassesButUsesTheirIDs() {
  var builder = COCOGroundTruthBuilder(categories: [COCOCategory(id: 1, name: "person")])
  builder.addImage(id: 7, height: 100, width: 200, normalizedBoxes: [0, 0, 0.5, 0.5, 0.1, 0.1, 0.2, 0.2],
                   classes: [12, 1], isCrowd: [false, true])
  let addedAgain = builder.addImage(id: 7, height: 100, width: 200, normalizedBoxes: [], classes: [])
  #expect(!addedAgain)
  builder.addImage(id: 8, height: 10, width: 10, normalizedBoxes: [0, 0, 1, 1], classes: [1])
  #expect(builder.annotations.map(\.id) == [2, 3])
  #expect(builder.annotations[0] == COCOAnnotation(id: 2, imageID: 7, categoryID: 1,
                                                    bbox: COCOBox(x: Double(Float(0.1) * 200), y: Double(Float(0.1) * 100),
                                                                  width: Double(Float(0.2) * 200 - Float(0.1) * 200),
                                                                  height: Double(Float(0.2) * 100 - Float(0.1) * 100)),
                                                    area: Double((Float(0.2) * 100 - Float(0.1) * 100) * (Float(0.2) * 200 - Float(0.1) * 200)),
                                                    isCrowd: true))
  #expect(builder.images.map(\.id) == [7, 8])
}

@Test func detectionFromNormalizedBoxUsesFloat32() {
  let d = COCODetection(imageID: 1, categoryID: 3, normalizedBox: (ymin: 0.1, xmin: 0.2, ymax: 0.7, xmax: 0.9),
                        imageHeight: 333, imageWidth: 517, score: 0.3)
  let ymin = Float(0.1) * 333, xmin = Float(0.2) * 517, ymax = Float(0.7) * 333, xmax = Float(0.9) * 517
  #expect(d.bbox == COCOBox(x: Double(xmin), y: Double(ymin), width: Double(xmax - xmin), height: Double(ymax - ymin)))
  #expect(d.score == Double(Float(0.3)))
}

@Test func modelOutputDropsPaddingAndUnknownClasses() {
  // Rows: class index 0 (id 1), 11 (id 12, not a COCO category), 2 (id 3), then padding.
  let boxes: [Float] = [0.1, 0.2, 0.3, 0.4, 0, 0, 1, 1, 0.5, 0.5, 0.9, 0.8, 0, 0, 0, 0]
  let dets = COCODetection.fromModelOutput(imageID: 5, imageHeight: 100, imageWidth: 200, boxes: boxes,
                                           classIndices: [0, 11, 2, 0], scores: [0.9, 0.8, 0.7, -1], count: 3,
                                           categoryIDs: [1, 3])
  #expect(dets.map(\.categoryID) == [1, 3])
  #expect(dets[1] == COCODetection(imageID: 5, categoryID: 3, normalizedBox: (ymin: 0.5, xmin: 0.5, ymax: 0.9, xmax: 0.8),
                                   imageHeight: 100, imageWidth: 200, score: 0.7))
  #expect(dets[0].score == Double(Float(0.9)))
}
