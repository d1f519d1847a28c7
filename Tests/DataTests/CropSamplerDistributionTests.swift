import Foundation
import Testing
@testable import Data

/// Our `sample_distorted_bounding_box` against TensorFlow's, by distribution (TF's Philox
/// stream cannot be reproduced): 20000 TF draws per configuration were recorded by
/// `python3 scripts/gen-crop-sampler-fixtures.py Tests/Fixtures/crop_sampler.json`
/// (TensorFlow 2.21). We draw 20000 with a fixed seed and compare the histograms of crop
/// height, width, y and x: total variation distance below 0.1 (two samples of one
/// distribution with these bin counts differ by about 0.03–0.06; ours: 0.015–0.05), smallest
/// and largest height and width within 2% of the side (rare extremes), and whole-image
/// fallbacks within 5 binomial sigmas + 3.
@Test func cropWindowsAreDistributedLikeTensorFlows() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/crop_sampler.json")
  let doc = try JSONSerialization.jsonObject(with: Foundation.Data(contentsOf: url)) as! [String: Any]
  for config in doc["configs"] as! [[String: Any]] {
    let name = config["name"] as! String
    let H = config["height"] as! Int, W = config["width"] as! Int, draws = config["draws"] as! Int
    let boxes = (config["boxes"] as! [[Double]]).map {
      BoundingBox(ymin: Float($0[0]), xmin: Float($0[1]), ymax: Float($0[2]), xmax: Float($0[3]))
    }
    let ar = (config["aspect_ratio_range"] as! [Double]).map { Float($0) }
    let area = (config["area_range"] as! [Double]).map { Float($0) }
    let sampler = DistortedBoundingBoxSampler(minObjectCovered: Float(config["min_object_covered"] as! Double),
                                              aspectRatioRange: ar[0]...ar[1], areaRange: area[0]...area[1])
    var rng = SampleRandom(seed: 2026, stream: UInt64(H), UInt64(W))
    var ours: [String: [Int: Int]] = ["h": [:], "w": [:], "y": [:], "x": [:]]
    var whole = 0
    for _ in 0..<draws {
      let c = sampler.sample(imageHeight: H, imageWidth: W, boxes: boxes, rng: &rng)
      ours["h"]![c.height, default: 0] += 1
      ours["w"]![c.width, default: 0] += 1
      ours["y"]![c.y, default: 0] += 1
      ours["x"]![c.x, default: 0] += 1
      if c.height == H && c.width == W { whole += 1 }
    }
    for key in ["h", "w", "y", "x"] {
      var tf = [Int: Int]()
      for (k, v) in config["hist_" + key] as! [String: Int] { tf[Int(k)!] = v }
      let mine = ours[key]!
      let keys = Set(tf.keys).union(mine.keys)
      let tv = keys.reduce(0.0) { $0 + abs(Double(tf[$1] ?? 0) - Double(mine[$1] ?? 0)) } / Double(2 * draws)
      print("\(name) \(key): total variation \(String(format: "%.4f", tv))")
      #expect(tv < 0.1, "\(name): \(key) histogram differs from TF's (TV \(tv))")
      if key == "h" || key == "w" {
        let slack = (key == "h" ? H : W) / 50  // extremes of rare sizes may be missed by either sample
        #expect(abs(tf.keys.min()! - mine.keys.min()!) <= slack && abs(tf.keys.max()! - mine.keys.max()!) <= slack,
                "\(name): \(key) range \(mine.keys.min()!)...\(mine.keys.max()!), TF \(tf.keys.min()!)...\(tf.keys.max()!)")
      }
    }
    let tfWhole = config["whole_image"] as! Int
    let p = max(Double(tfWhole), 1) / Double(draws)
    let sigma = (Double(draws) * p * (1 - p)).squareRoot()
    #expect(Double(abs(whole - tfWhole)) <= 5 * sigma + 3, "\(name): \(whole) whole-image crops, TF \(tfWhole)")
  }
}
