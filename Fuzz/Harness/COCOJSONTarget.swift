import Data
import Evaluation
import Foundation

/// COCO JSON: an instances file (`COCO`, as `ssd eval` and evaluation read it, and
/// `COCOInstances`, as `ssd data from-coco` reads it) and a results file, then the
/// evaluation of the results against the ground truth when both parse.
/// Input: the instances JSON, optionally followed by a zero byte and the results JSON (a
/// zero byte is never valid inside JSON text, so each part is also tried alone).
enum COCOJSONTarget {
  static func run(_ input: [UInt8]) {
    let split = input.firstIndex(of: 0)
    let first = Array(input[..<(split ?? input.count)])
    let second = split.map { Array(input[($0 + 1)...]) } ?? first

    var gt: COCO?
    do { gt = try COCO(jsonData: Data(first), source: "gt-input.json") } catch { expectNamesInput(error, "gt-input.json") }
    let path = Scratch.write("instances-input.json", first)
    do { _ = try COCOInstances(contentsOfFile: path) } catch { expectNamesInput(error, path) }
    var detections: [COCODetection]?
    do {
      detections = try COCODetection.loadResults(jsonData: Data(second), source: "results-input.json")
    } catch {
      expectNamesInput(error, "results-input.json")
    }
    // What we write reads back to the same values (JSONText's numbers and string escapes).
    if let gt {
      let again = try? COCO(jsonData: gt.jsonData(), source: "round-trip.json")
      fuzzCheck(again?.images == gt.images && again?.annotations == gt.annotations && again?.categories == gt.categories,
                "COCO.jsonData() does not read back to the same ground truth")
    }
    if let detections {
      let again = try? COCODetection.loadResults(jsonData: COCODetection.resultsJSON(detections), source: "round-trip.json")
      fuzzCheck(again == detections, "resultsJSON does not read back to the same detections")
    }
    // pycocotools' cost grows with images × categories; keep each input's evaluation small.
    guard let gt, let detections, gt.imageIDs.count * max(1, gt.categoryIDs.count) <= 20_000 else { return }
    do {
      let evaluator = try COCOEvaluator(groundTruth: gt, detections: detections, detectionsSource: "results-input.json")
      let metrics = evaluator.run()
      _ = metrics.summary
      _ = metrics.perCategoryTable
      _ = metrics.jsonData()
    } catch {
      expectNamesInput(error, "results-input.json")
    }
  }

  /// For each fixture folder with `gt.json` and `detections.json`: each file alone and the
  /// pair; other JSON files alone.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    for path in paths {
      if let gt = Scratch.read(path + "/gt.json"), let dt = Scratch.read(path + "/detections.json") {
        out += [gt, dt, gt + [0] + dt]
      } else if let bytes = Scratch.read(path) {
        out.append(bytes)
      }
    }
    return out
  }
}
