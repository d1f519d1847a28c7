import Config
import Foundation
import Testing
@testable import Data
import TestSupport

/// Writes a small synthetic set, reads it back through the TFRecord pipeline and checks it
/// against the JSON it wrote; `COCOConverter` rebuilds byte-identical records from the
/// written images + JSON (so the records follow the converter's rules exactly).
@Test func syntheticSetReadsBackAndMatchesItsJSON() throws {
  let dir = try Fixtures.temporaryDirectory("synth")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let options = SyntheticDataset.Options(trainCount: 10, valCount: 5, seed: 42, size: (width: 120, height: 90),
                                         trainShards: 2, valShards: 1, writeImages: true)
  let summary = try SyntheticDataset(options: options).write(to: dir)
  #expect(summary.images["train"] == 10 && summary.images["val"] == 5)
  let labelMap = try LabelMap(contentsOfFile: dir + "/label_map.pbtxt")
  #expect(labelMap.items.count == 80 && labelMap.classID(forText: "toothbrush") == 90)

  for (split, count) in [("train", 10), ("val", 5)] {
    let source = try TFRecordSampleSource(inputPath: dir + "/synth_\(split).record-*", labelMap: labelMap)
    #expect(source.count == count)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/instances_\(split).json"))) as! [String: Any]
    let images = json["images"] as! [[String: Any]]
    let annotations = json["annotations"] as! [[String: Any]]
    #expect((json["categories"] as! [Any]).count == 80)
    // Shard order: file 0 holds images 0, 2, 4, ...; the dataset numbers file 0's records first.
    let shardCount = split == "train" ? 2 : 1
    let order = (0..<shardCount).flatMap { s in stride(from: s, to: count, by: shardCount).map { $0 } }
    for (global, imageIndex) in order.enumerated() {
      let sample = try source.sample(global)
      let image = images[imageIndex]
      let id = image["id"] as! Int
      #expect(sample.info.sourceId == "\(id)")
      let w = Double(image["width"] as! Int), h = Double(image["height"] as! Int)
      #expect(w == 120 && h == 90)
      let mine = annotations.filter { $0["image_id"] as! Int == id }
      #expect(sample.groundTruth.count == mine.count)
      for (k, a) in mine.enumerated() {
        let bbox = a["bbox"] as! [Double]
        #expect(sample.groundTruth.boxes[k] == BoundingBox(ymin: Float(bbox[1] / h), xmin: Float(bbox[0] / w),
                                                           ymax: Float((bbox[1] + bbox[3]) / h), xmax: Float((bbox[0] + bbox[2]) / w)))
        #expect(Int(sample.groundTruth.classes[k]) == a["category_id"] as! Int)
        #expect(sample.info.isCrowd[k] == ((a["iscrowd"] as! Int) == 1))
      }
      let decoded = try JPEGDecoder().decode(sample.jpeg)
      #expect(decoded.width == 120 && decoded.height == 90)
    }
    // The converter, fed the written images and JSON, writes the same bytes.
    let converter = try COCOConverter(imagesDirectory: dir + "/" + split, annotationsPath: dir + "/instances_\(split).json")
    _ = try converter.run(outputPrefix: dir + "/rebuilt_\(split).record", shards: shardCount)
    for s in 0..<shardCount {
      let a = try Fixtures.bytesAt(COCOConverter.shardPath(prefix: dir + "/synth_\(split).record", index: s, count: shardCount))
      let b = try Fixtures.bytesAt(COCOConverter.shardPath(prefix: dir + "/rebuilt_\(split).record", index: s, count: shardCount))
      #expect(a == b, "\(split) shard \(s) differs from the converter's output")
    }
  }
}

/// Same options ⇒ same bytes; another seed ⇒ other images.
@Test func syntheticScenesAreDeterministic() throws {
  let options = SyntheticDataset.Options(trainCount: 3, valCount: 0, seed: 7, size: (width: 64, height: 48))
  let a = try SyntheticDataset(options: options).image(split: "train", index: 2, encoder: JPEGEncoder())
  let b = try SyntheticDataset(options: options).image(split: "train", index: 2, encoder: JPEGEncoder())
  #expect(a.1 == b.1 && a.0.image == b.0.image)
  var other = options
  other.seed = 8
  #expect(try SyntheticDataset(options: other).image(split: "train", index: 2, encoder: JPEGEncoder()).1 != a.1)
}

/// Class follows from the pixels: at the centre of each large, unoccluded solid object the
/// colour is (close to) its class colour; random sizes are never square; the mix contains
/// tiny, border, crowd and empty images. Tolerance: 40 grey levels per channel (jitter ±12,
/// noise ±7, no JPEG here).
@Test func syntheticScenesLookLikeTheirClasses() {
  let generator = SyntheticSceneGenerator()
  var notes = [String: Int](), empty = 0, checked = 0
  for i in 0..<30 {
    var rng = SampleRandom(seed: 3, stream: 1, UInt64(i))
    let scene = generator.scene(rng: &rng)
    #expect(scene.image.width != scene.image.height)
    #expect((256...641).contains(scene.image.width) && (256...640).contains(scene.image.height))
    if scene.objects.isEmpty { empty += 1 }
    for (k, o) in scene.objects.enumerated() {
      for n in o.notes { notes[n.hasPrefix("border") ? "border" : n, default: 0] += 1 }
      #expect(o.x >= 0 && o.y >= 0 && o.x + o.w <= scene.image.width && o.y + o.h <= scene.image.height)
      #expect(o.area > 0 && o.area <= o.w * o.h)
      let cls = SyntheticClass.all.first { $0.id == o.classId }!
      let later = scene.objects[(k + 1)...]
      let cx = o.x + o.w / 2, cy = o.y + o.h / 2
      let covered = later.contains { $0.x <= cx + 2 && cx - 2 < $0.x + $0.w && $0.y <= cy + 2 && cy - 2 < $0.y + $0.h }
      guard !o.isCrowd, o.w >= 20, o.h >= 20, cls.texture == .solid, !covered, !o.notes.contains(where: { $0.hasPrefix("border") }) else { continue }
      let p = (cy * scene.image.width + cx) * 3
      let px = scene.image.pixels
      #expect(abs(Int(px[p]) - Int(cls.color.0)) < 40 && abs(Int(px[p + 1]) - Int(cls.color.1)) < 40
                && abs(Int(px[p + 2]) - Int(cls.color.2)) < 40, "scene \(i) object \(k) class \(cls.name)")
      checked += 1
    }
  }
  #expect(checked > 10)
  #expect(notes["tiny", default: 0] > 0 && notes["border", default: 0] > 0 && notes["crowd", default: 0] > 0)
  #expect(empty < 8)
}

/// The category table matches the COCO categories of the fixtures' instances JSON.
@Test func cocoCategoriesMatchFixtureJSON() throws {
  let json = try Fixtures.json("tfrecord/instances_synth_train.json") as! [String: Any]
  let categories = (json["categories"] as! [[String: Any]]).map {
    COCOCategories.Category(id: $0["id"] as! Int, name: $0["name"] as! String, supercategory: $0["supercategory"] as! String)
  }
  #expect(categories == COCOCategories.all)
}
