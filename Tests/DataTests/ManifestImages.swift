import Foundation

/// The JPEG images of the fixture TFRecords with what TensorFlow decoded from them, taken from
/// `tfrecord/manifest_synth_<split>.json`. The JPEG bytes are cut out of each record's payload
/// (located by the manifest's offset/length) at the SOI marker, `encoded_num_bytes` long; this
/// keeps the image tests independent of the tf.Example parser.
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
    for file in manifest["files"] as! [[String: Any]] {
      let name = file["file"] as! String
      let bytes = try Fixtures.bytes("tfrecord/" + name)
      for rec in file["records"] as! [[String: Any]] {
        let offset = rec["offset"] as! Int, length = rec["length"] as! Int
        let count = rec["encoded_num_bytes"] as! Int
        let payload = Array(bytes[(offset + 12)..<(offset + 12 + length)])
        var start = -1
        for i in 0..<(payload.count - 2) where payload[i] == 0xFF && payload[i + 1] == 0xD8 && payload[i + 2] == 0xFF {
          start = i; break
        }
        precondition(start >= 0, "no JPEG SOI in \(name) record \(rec["index_in_file"]!)")
        let sid = rec["source_id"] as! String
        out.append(ManifestImage(
          split: split, file: name, index: rec["index_in_file"] as! Int, sourceID: sid,
          jpeg: Array(payload[start..<(start + count)]), shape: rec["decoded_shape"] as! [Int],
          meansTF: rec["decoded_mean_rgb"] as! [Double], sha256TF: rec["decoded_sha256_tf"] as! String,
          notes: notes[sid] ?? []))
      }
    }
    return out
  }
}
