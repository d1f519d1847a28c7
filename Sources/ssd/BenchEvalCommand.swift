import ArgumentParser
import Evaluation
import Foundation

/// `ssd bench eval`: times COCO evaluation on synthetic COCO-sized data (default 5000
/// images x 100 detections, 80 categories, like val2017 with SSD's top-100 output).
struct BenchEvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Time COCO evaluation (evaluate/accumulate/summarize) on synthetic data.",
    discussion: """
      Builds a COCO-like ground truth and detection set in memory and times each phase of the
      evaluation; --write_ground_truth/--write_detections save them for pycocotools.

      Example:
        ssd bench eval --images 5000 --detections_per_image 100
      """)

  @Option(help: "Number of images.")
  var images = 5000

  @Option(name: .underscored("detections_per_image"), help: "Detections per image.")
  var detectionsPerImage = 100

  @Option(help: "Number of categories.")
  var categories = 80

  @Option(help: "Seed of the synthetic data.")
  var seed: UInt64 = 1

  @Flag(help: "Also time the literal (per category/area/maxDet) accumulate and check it agrees.")
  var reference = false

  @Option(name: .underscored("write_ground_truth"), help: "Write the synthetic ground truth (instances JSON) here, e.g. to run pycocotools on it.")
  var writeGroundTruth: String?

  @Option(name: .underscored("write_detections"), help: "Write the synthetic detections (COCO results JSON) here.")
  var writeDetections: String?

  @Option(help: "Write the metrics JSON here.")
  var json: String?

  func validate() throws {
    guard images >= 1, detectionsPerImage >= 0, categories >= 1 else {
      throw ValidationError("--images and --categories must be ≥ 1, --detections_per_image ≥ 0")
    }
  }

  func run() throws {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> String {
      String(format: "%.3f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
    var data: (groundTruth: COCO, detections: [COCODetection])!
    let tMake = clock.measure {
      data = COCOSyntheticData.make(images: images, categories: categories, detectionsPerImage: detectionsPerImage, seed: seed)
    }
    print("synthetic data: \(images) images, \(data.groundTruth.annotations.count) ground truths, "
          + "\(data.detections.count) detections, \(categories) categories (\(seconds(tMake)))")
    var evaluator: COCOEvaluator!
    let tPrepare = clock.measure { evaluator = try? COCOEvaluator(groundTruth: data.groundTruth, detections: data.detections) }
    var evaluations: [[COCOImageEvaluation]] = []
    let tEvaluate = clock.measure { evaluations = evaluator.evaluate() }
    var accumulation: COCOAccumulation!
    let tAccumulate = clock.measure { accumulation = evaluator.accumulate(evaluations) }
    var metrics: COCOMetrics!
    let tSummarize = clock.measure { metrics = evaluator.summarize(accumulation) }
    print("prepare    \(seconds(tPrepare))")
    print("evaluate   \(seconds(tEvaluate))")
    print("accumulate \(seconds(tAccumulate))")
    print("summarize  \(seconds(tSummarize))")
    print("total      \(seconds(tPrepare + tEvaluate + tAccumulate + tSummarize))")
    if reference {
      var literal: COCOAccumulation!
      let tReference = clock.measure { literal = evaluator.accumulateReference(evaluations) }
      print("accumulate (literal port) \(seconds(tReference)); identical: \(literal == accumulation)")
    }
    print(metrics.summary, terminator: "")
    if let path = writeGroundTruth { try data.groundTruth.jsonData().write(to: URL(fileURLWithPath: path)) }
    if let path = writeDetections { try COCODetection.resultsJSON(data.detections).write(to: URL(fileURLWithPath: path)) }
    if let path = json { try metrics.jsonData().write(to: URL(fileURLWithPath: path)) }
  }
}
