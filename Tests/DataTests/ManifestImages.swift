import Config
import Foundation
@testable import Data
import TestSupport

/// The JPEG images of the fixture TFRecords with what TensorFlow decoded from them, taken from
/// `tfrecord/manifest_synth_<split>.json`; the JPEG bytes are read with `TFRecordFile` and
/// `DetectionExampleDecoder` (`image/encoded`).
struct ManifestImage {
  let split: String
  let file: String
  let index: Int
  let sourceID: String
  let jpeg: [UInt8]
  let shape: [Int]
  let meansTF: [Double]
  let sha256TF: String
  let notes: [String]
}

enum ManifestImages {
  static func load(split: String) throws -> [ManifestImage] {
    let manifest = try Fixtures.json("tfrecord/manifest_synth_\(split).json") as! [String: Any]
    let notes = manifest["notes_by_source_id"] as? [String: [String]] ?? [:]
    var out = [ManifestImage]()
    for entry in manifest["files"] as! [[String: Any]] {
      let name = entry["file"] as! String
      let file = try TFRecordFile(path: Fixtures.path("tfrecord/" + name))
      let decoder = DetectionExampleDecoder(labelMap: try LabelMap(contentsOfFile: Fixtures.path("mscoco_label_map.pbtxt")))
      for rec in entry["records"] as! [[String: Any]] {
        let index = rec["index_in_file"] as! Int
        let example = try decoder.decode(try file.readRecord(index))
        let sid = rec["source_id"] as! String
        out.append(ManifestImage(
          split: split, file: name, index: index, sourceID: sid, jpeg: example.encodedImage, shape: rec["decoded_shape"] as! [Int],
          meansTF: rec["decoded_mean_rgb"] as! [Double], sha256TF: rec["decoded_sha256_tf"] as! String,
          notes: notes[sid] ?? []))
      }
    }
    return out
  }
}
