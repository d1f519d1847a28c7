import Config
import Formats
import Foundation
import Testing
@testable import Data
import TestSupport

private let labelMap = try! LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt"))

private func floats(_ any: Any?) -> [Float] { (any as! [Any]).map { Float(($0 as! NSNumber).doubleValue) } }
private func ints(_ any: Any?) -> [Int] { (any as! [Any]).map { ($0 as! NSNumber).intValue } }

/// Checks every record of a manifest against what the decoder produces.
private func checkManifest(_ manifest: String, directory: String, legacy: Bool) throws {
  let m = try #require(try Fixtures.json(manifest) as? [String: Any])
  let withMap = DetectionExampleDecoder(labelMap: labelMap)
  let withoutMap = DetectionExampleDecoder()
  var checked = 0
  for f in m["files"] as! [[String: Any]] {
    let file = try TFRecordFile(path: Fixtures.path(directory + "/" + (f["file"] as! String)))
    for r in f["records"] as! [[String: Any]] {
      let i = r["index_in_file"] as! Int
      let location = file.location(ofRecord: i)
      let payload = try file.readRecord(i)
      let e = try withMap.decode(payload, location: location)
      #expect(e.height == r["height"] as! Int)
      #expect(e.width == r["width"] as! Int)
      #expect(e.filename == r["filename"] as! String)
      #expect(e.sourceId == r["source_id"] as! String)
      #expect(e.keySHA256 == r["key_sha256"] as! String)
      #expect(e.format == r["format"] as! String)
      #expect(e.encodedImage.count == r["encoded_num_bytes"] as! Int)
      #expect(SHA256.hexDigest(e.encodedImage) == r["encoded_sha256"] as! String)
      #expect(e.xmin == floats(r["xmin"]))
      #expect(e.ymin == floats(r["ymin"]))
      #expect(e.xmax == floats(r["xmax"]))
      #expect(e.ymax == floats(r["ymax"]))
      #expect(e.classLabels.map(Int.init) == ints(r["label"]))
      #expect(e.classTexts == (r["text"] as! [String]))
      #expect(e.classes == ints(r["label_via_label_map"]))
      #expect(e.isCrowd == ints(r["is_crowd"]).map { $0 != 0 })
      #expect(e.area == floats(r["area"]))
      let keys = r["feature_keys"] as! [String]
      #expect(e.hasObjectFeatures == keys.contains { $0.hasPrefix("image/object/") })
      if legacy {
        // Text only: without a label map the decoder cannot resolve classes (unless no objects).
        if e.objectCount > 0 {
          let error = try #require(throws: DataError.self) { try withoutMap.decode(payload, location: location) }
          #expect(error.kindName == "label_map_required")
        }
      } else {
        #expect(try withoutMap.decode(payload).classes == ints(r["label"]))
        // Re-encoding with the current converter's keys reproduces the payload exactly.
        #expect(e.tfExample(style: .current).serialized() == payload)
      }
      checked += 1
    }
  }
  #expect(checked == m["num_images"] as! Int)
}

@Test func currentConverterRecordsDecodeAsTheManifestSays() throws {
  try checkManifest("tfrecord/manifest_synth_train.json", directory: "tfrecord", legacy: false)
  try checkManifest("tfrecord/manifest_synth_val.json", directory: "tfrecord", legacy: false)
}

@Test func legacyRecordsTakeClassesFromTextThroughTheLabelMap() throws {
  try checkManifest("tfrecord/legacy/manifest_synth_legacy.json", directory: "tfrecord/legacy", legacy: true)
  // The legacy style re-encodes to the same feature values (entry order differs from the file).
  let file = try TFRecordFile(path: Fixtures.path("tfrecord/legacy/synth_legacy.record-00000-of-00001"))
  for i in 0..<file.count {
    let payload = try file.readRecord(i)
    let e = try DetectionExampleDecoder(labelMap: labelMap).decode(payload)
    #expect(e.tfExample(style: .legacy) == (try TFExample(serialized: payload)))
  }
}

/// Decodes every record of a bad fixture file with the label map; returns the first error.
private func firstError(_ name: String, labelMap map: LabelMap? = labelMap) throws -> DataError? {
  let path = Fixtures.path("bad_tfrecord/" + name)
  let decoder = DetectionExampleDecoder(labelMap: map)
  do {
    let dataset = try TFRecordDataset(paths: [path])
    for i in 0..<dataset.count { _ = try dataset.example(i, decoder: decoder) }
  } catch let e as DataError {
    return e
  }
  return nil
}

@Test func badFilesFailWithTheRightKindFieldAndPlace() throws {
  let expected = try #require(try Fixtures.json("bad_tfrecord/expected.json") as? [String: Any])
  #expect(expected.count == 10)
  func at(_ name: String, _ record: Int, _ offset: Int) -> RecordLocation {
    RecordLocation(file: Fixtures.path("bad_tfrecord/" + name), recordIndex: record, byteOffset: offset)
  }
  var e = try #require(try firstError("bad_data_crc.record"))
  #expect(e.kindName == "data_crc" && e.location == at("bad_data_crc.record", 1, 2512))
  e = try #require(try firstError("bad_length_crc.record"))
  #expect(e.kindName == "length_crc" && e.location == at("bad_length_crc.record", 1, 2309))
  e = try #require(try firstError("truncated.record"))
  #expect(e.kindName == "truncated" && e.location == at("truncated.record", 2, 4612))
  e = try #require(try firstError("not_example.record"))
  #expect(e.kind == .notExample && e.location == at("not_example.record", 1, 2885 + 16))
  e = try #require(try firstError("count_mismatch.record"))
  #expect(e.kind == .countMismatch(field: "image/object/bbox/ymax", count: 1, expectedField: "image/object/bbox/xmin", expectedCount: 2))
  #expect(e.location == at("count_mismatch.record", 0, 0))
  e = try #require(try firstError("nan_coords.record"))
  #expect(e.kind == .nonFiniteCoordinate(field: "image/object/bbox/ymin", object: 1))
  e = try #require(try firstError("xmin_gt_xmax.record"))
  #expect(e.kind == .invertedBox(field: "image/object/bbox/xmin", object: 1, low: 0.7, high: 0.3))
  #expect(e.description.contains("xmin_gt_xmax.record: record 0 at byte 0"))
  e = try #require(try firstError("label_out_of_range.record"))
  #expect(e.kindName == "class_out_of_range" && e.location?.recordIndex == 0)
  #expect(e.description.contains("label_91") && e.description.contains("object 1"))
  // Without a label map the stored labels are checked: 91 and 0 are outside 1...90.
  e = try #require(try firstError("label_out_of_range.record", labelMap: nil))
  #expect(e.kind == .classOutOfRange(field: "image/object/class/label", object: 1, value: "91", numClasses: 90))
  let second = try TFRecordFile(path: Fixtures.path("bad_tfrecord/label_out_of_range.record"))
  let e1 = try #require(throws: DataError.self) { try DetectionExampleDecoder().decode(second.readRecord(1)) }
  #expect(e1.kind == .classOutOfRange(field: "image/object/class/label", object: 0, value: "0", numClasses: 90))
  // Empty: zero records, no error. bad_jpeg: the record layer accepts it (the JPEG check is the image layer's).
  #expect(try firstError("empty.record") == nil)
  #expect(try firstError("bad_jpeg.record") == nil)
  // Records TensorFlow read before its error = records we read before ours.
  for (name, info) in expected {
    let info = info as! [String: Any]
    guard info["read_error"] is [String: Any] else { continue }
    let file = try TFRecordFile(path: Fixtures.path("bad_tfrecord/" + name), tolerateFramingErrors: true)
    var good = 0
    for i in 0..<file.count { if (try? file.readRecord(i)) != nil { good += 1 } else { break } }
    #expect(good == info["records_read"] as! Int, "\(name)")
  }
}

@Test func wrongFeatureTypesAndMissingImageAreReported() throws {
  let good = try TFRecordFile(path: Fixtures.path("tfrecord/single_example.record")).readRecord(0)
  var example = try TFExample(serialized: good)
  _ = try DetectionExampleDecoder().decode(example)
  example["image/height"] = .bytes([Array("12".utf8)])
  var e = try #require(throws: DataError.self) { try DetectionExampleDecoder().decode(example) }
  #expect(e.kind == .wrongFeatureType(field: "image/height", expected: "int64_list", found: "bytes_list"))
  example = try TFExample(serialized: good)
  example["image/encoded"] = nil
  e = try #require(throws: DataError.self) { try DetectionExampleDecoder().decode(example) }
  #expect(e.kind == .missingField(field: "image/encoded"))
  // Labels (no text): with a label map, an id missing from it (12 is a COCO gap) is rejected.
  example = try TFExample(serialized: good)
  example["image/object/class/text"] = nil
  example["image/object/class/label"] = .int64s([12, 1])
  #expect(try DetectionExampleDecoder().decode(example).classes == [12, 1])
  e = try #require(throws: DataError.self) { try DetectionExampleDecoder(labelMap: labelMap).decode(example) }
  #expect(e.kind == .classOutOfRange(field: "image/object/class/label", object: 0, value: "12", numClasses: 90))
  example = try TFExample(serialized: good)
  example["image/object/bbox/ymin"] = .floats([0.1, 0.2, 0.3])
  e = try #require(throws: DataError.self) { try DetectionExampleDecoder().decode(example) }
  #expect(e.kindName == "count_mismatch")
}
