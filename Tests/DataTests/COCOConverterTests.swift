import Formats
import Foundation
import Testing
@testable import Data
import TestSupport

/// Writes every JPEG stored in `records` to `directory` under its image/filename.
private func extractJPEGs(_ records: [String], to directory: String) throws {
  for relative in records {
    let file = try TFRecordFile(path: Fixtures.path(relative))
    for i in 0..<file.count {
      let example = try DetectionExampleDecoder().decode(file.readRecord(i))
      try Foundation.Data(example.encodedImage).write(to: URL(fileURLWithPath: directory + "/" + example.filename))
    }
  }
}

@Test(arguments: [
  ("train", ["synth_train.record-00000-of-00002", "synth_train.record-00001-of-00002"]),
  ("val", ["synth_val.record-00000-of-00001"]),
])
func fromCocoReproducesTheFixtureRecordsByteForByte(split: String, shardNames: [String]) throws {
  let dir = try Fixtures.temporaryDirectory("coco-\(split)")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let images = dir + "/images"
  try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
  try extractJPEGs(shardNames.map { "tfrecord/" + $0 }, to: images)

  let converter = try COCOConverter(imagesDirectory: images,
                                    annotationsPath: Fixtures.path("tfrecord/instances_synth_\(split).json"))
  var calls = 0
  let report = try converter.run(outputPrefix: dir + "/out/synth_\(split).record", shards: shardNames.count) { _, _, _ in calls += 1 }
  let manifest = try #require(try Fixtures.json("tfrecord/manifest_synth_\(split).json") as? [String: Any])
  #expect(report.images == manifest["num_images"] as! Int)
  #expect(report.annotationsSkipped == manifest["num_annotations_skipped_by_converter"] as! Int)
  #expect(report.annotationsWritten + report.annotationsSkipped == manifest["num_annotations_in_json"] as! Int)
  #expect(calls >= 1)
  #expect(report.outputFiles.map { ($0 as NSString).lastPathComponent } == shardNames)

  for (ours, name) in zip(report.outputFiles, shardNames) {
    let mine = try TFRecordFile(path: ours)
    let theirs = try TFRecordFile(path: Fixtures.path("tfrecord/" + name))
    #expect(mine.count == theirs.count)
    // Feature values first (informative on failure), then whole-file byte equality.
    for i in 0..<min(mine.count, theirs.count) {
      let a = try TFExample(serialized: mine.readRecord(i))
      let b = try TFExample(serialized: theirs.readRecord(i))
      #expect(a.bitwiseEqual(b), "\(name) record \(i)")
    }
    let mineBytes = try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: ours)))
    let theirBytes = try Fixtures.bytes("tfrecord/" + name)
    #expect(mineBytes == theirBytes, "\(name) differs from TensorFlow's file")
  }
}

@Test func converterSkipsAnnotationsExactlyAtTheBorderRules() throws {
  let image = COCOInstances.Image(id: 7, fileName: "x.jpg", height: 10, width: 20)
  func ann(_ bbox: [Double]) -> COCOInstances.Annotation {
    COCOInstances.Annotation(imageId: 7, bbox: bbox, area: 5, isCrowd: 0, categoryId: 1)
  }
  let annotations = [
    ann([0, 0, 20, 10]),     // touches both far borders: kept
    ann([0.5, 0, 19.5, 10]), // x + w == W: kept
    ann([0.5, 0, 19.6, 1]),  // x + w > W: skipped
    ann([1, 1, 0, 1]),       // w == 0: skipped
    ann([1, 1, 1, -1]),      // h < 0: skipped
    ann([1, 9.5, 1, 0.6]),   // y + h > H: skipped
    ann([3, 2, 1.1, 2.2]),
  ]
  let (e, skipped) = try COCOConverter.makeExample(image: image, jpeg: [1, 2, 3], annotations: annotations,
                                                    categoryNames: [1: "person"])
  #expect(skipped == 4)
  #expect(e.objectCount == 3)
  #expect(e.xmin == [0, Float(0.5 / 20), Float(3.0 / 20)])
  #expect(e.xmax == [1, 1, Float((3 + 1.1) / 20)])
  #expect(e.ymax == [1, 1, Float((2 + 2.2) / 10)])
  #expect(e.classTexts == ["person", "person", "person"])
  #expect(e.keySHA256 == SHA256.hexDigest([1, 2, 3]))
  // All skipped: object keys present but empty. No annotations: no object keys.
  let allSkipped = try COCOConverter.makeExample(image: image, jpeg: [1], annotations: [ann([1, 1, 0, 1])], categoryNames: [1: "person"])
  #expect(allSkipped.example.tfExample()["image/object/bbox/xmin"] == .floats([]))
  let none = try COCOConverter.makeExample(image: image, jpeg: [1], annotations: [], categoryNames: [:])
  #expect(none.example.tfExample().features.keys.allSatisfy { !$0.hasPrefix("image/object/") })
  // Unknown category: an error naming it.
  let bad = COCOInstances.Annotation(imageId: 7, bbox: [1, 1, 1, 1], area: 1, isCrowd: 0, categoryId: 99)
  let error = try #require(throws: DataError.self) {
    try COCOConverter.makeExample(image: image, jpeg: [1], annotations: [bad], categoryNames: [1: "person"])
  }
  #expect(error.description.contains("category_id 99"))
}
