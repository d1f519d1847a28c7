import Config
import Foundation
import Testing
@testable import Data
import TestSupport

private let labelMap = try! LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt"))

@Test func inspectorCountsMatchTheManifests() throws {
  for (manifest, dir) in [("tfrecord/manifest_synth_train.json", "tfrecord"), ("tfrecord/legacy/manifest_synth_legacy.json", "tfrecord/legacy")] {
    let m = try #require(try Fixtures.json(manifest) as? [String: Any])
    var objects = 0, crowd = 0, empty = 0
    var histogram: [Int: Int] = [:]
    var paths: [String] = []
    for f in m["files"] as! [[String: Any]] {
      paths.append(Fixtures.path(dir + "/" + (f["file"] as! String)))
      for r in f["records"] as! [[String: Any]] {
        let labels = (r["label_via_label_map"] as! [Int])
        objects += labels.count
        crowd += (r["is_crowd"] as! [Int]).reduce(0, +)
        if labels.isEmpty { empty += 1 }
        for l in labels { histogram[l, default: 0] += 1 }
      }
    }
    var seen = 0
    let summary = try DatasetInspector(decoder: DetectionExampleDecoder(labelMap: labelMap))
      .inspect(paths: paths, onRecord: { _, _ in seen += 1 })
    #expect(summary.files == paths.count)
    #expect(summary.records == m["num_images"] as! Int)
    #expect(summary.images == m["num_images"] as! Int)
    #expect(seen == summary.images)
    #expect(summary.objects == objects)
    #expect(summary.crowdObjects == crowd && crowd > 0)
    #expect(summary.imagesWithoutObjects == empty)
    #expect(summary.classCounts == histogram)
    #expect(summary.badRecords.isEmpty)
  }
}

@Test func inspectorStopsAtTheFirstBadRecordOrCountsThemAll() throws {
  let names = ["bad_data_crc.record", "bad_jpeg.record", "bad_length_crc.record", "count_mismatch.record", "empty.record",
               "label_out_of_range.record", "nan_coords.record", "not_example.record", "truncated.record", "xmin_gt_xmax.record"]
  let paths = names.map { Fixtures.path("bad_tfrecord/" + $0) }
  let decoder = DetectionExampleDecoder(labelMap: labelMap)
  let first = try #require(throws: DataError.self) { try DatasetInspector(decoder: decoder).inspect(paths: paths) }
  #expect(first.kindName == "data_crc" && first.location?.recordIndex == 1)

  let summary = try DatasetInspector(decoder: decoder, continueOnError: true).inspect(paths: paths)
  let kinds = summary.badRecords.map { (($0.location!.file as NSString).lastPathComponent, $0.kindName, $0.location!.recordIndex) }
  #expect(kinds.map(\.0) == ["bad_data_crc.record", "bad_length_crc.record", "count_mismatch.record",
                             "label_out_of_range.record", "label_out_of_range.record", "nan_coords.record",
                             "not_example.record", "truncated.record", "xmin_gt_xmax.record"])
  #expect(kinds.map(\.1) == ["data_crc", "length_crc", "count_mismatch", "class_out_of_range", "class_out_of_range",
                             "nan_coordinate", "not_example", "truncated", "inverted_box"])
  #expect(kinds.map(\.2) == [1, 1, 0, 0, 1, 0, 1, 2, 0])
  // Good records: data_crc 0 and 2, jpeg 0-1 (not checked here), length_crc 0, not_example 0, truncated 0-1.
  #expect(summary.images == 8)
  #expect(summary.records == 8 + summary.badRecords.count)
}

@Test func imageCheckHookMarksRecordsBad() throws {
  let path = Fixtures.path("bad_tfrecord/bad_jpeg.record")
  // A stand-in check for the hook's contract only (the JPEG layer provides the real one):
  // reject payloads that do not start with the JPEG SOI marker.
  let inspector = DatasetInspector(decoder: DetectionExampleDecoder(labelMap: labelMap), continueOnError: true) { example, _ in
    if example.encodedImage.prefix(2) != [0xFF, 0xD8] {
      throw DataError(.undecodableImage(field: "image/encoded", reason: "no SOI marker"))
    }
  }
  let summary = try inspector.inspect(paths: [path])
  #expect(summary.badRecords.map(\.kindName) == ["undecodable_image"])
  // The inspector adds the record's place when the check's error has none.
  #expect(summary.badRecords.first?.location == RecordLocation(file: path, recordIndex: 0, byteOffset: 0))
  #expect(summary.images == 1)
}
