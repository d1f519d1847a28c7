import ArgumentParser
import Evaluation
import Foundation

/// `ssd eval`: COCO bbox metrics of a results file against an instances file, identical to
/// pycocotools' `COCOeval(COCO(gt), COCO(gt).loadRes(dt), 'bbox')` evaluate/accumulate/
/// summarize. Prints pycocotools' 12-line summary and a per-category AP table on stdout
/// (timings on stderr); `--json` also writes the metrics (spec §9.3 names).
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "COCO bbox mAP of a detections file, identical to pycocotools' COCOeval.",
    discussion: """
      The detections may also be a training run's MODEL_DIR/eval_validation_data/detections-STEP.json:
      their image ids are the OD API's hashes of each record's source_id when training rebuilt
      the ground truth from the eval records; they are mapped back to the COCO ids of
      --annotations (the instances file the records were made from).

      Example:
        ssd eval --annotations instances_val2017.json --detections detections.json --json metrics.json
        ssd eval --annotations instances_val2017.json --detections runs/x/eval_validation_data/detections-1000.json
      """)

  @Option(help: "Ground truth: a COCO instances JSON file (images, annotations, categories).")
  var annotations: String

  @Option(help: "Detections: a COCO results JSON list of {image_id, category_id, bbox: [x, y, w, h], score}.")
  var detections: String

  @Option(help: "Write the metrics as JSON to this path.")
  var json: String?

  @Flag(name: .underscored("no_per_category"), help: "Leave out the per-category AP table.")
  var noPerCategory = false

  func run() throws {
    let clock = ContinuousClock()
    var start = clock.now
    func lap(_ what: String) {
      let now = clock.now
      let seconds = Double((now - start).components.attoseconds) / 1e18 + Double((now - start).components.seconds)
      FileHandle.standardError.write(Data("\(what) (t=\(String(format: "%.2f", seconds))s)\n".utf8))
      start = now
    }
    let gt = try COCO(contentsOf: annotations)
    lap("loaded \(gt.images.count) images, \(gt.annotations.count) annotations, \(gt.categories.count) categories from \(annotations)")
    let loaded = try COCODetection.loadResults(contentsOf: detections)
    lap("loaded \(loaded.count) detections from \(detections)")
    let (dets, remapped) = try COCODetection.pairedImageIDs(loaded, groundTruth: gt, detectionsSource: detections,
                                                             groundTruthSource: annotations)
    if remapped {
      FileHandle.standardError.write(Data(("note: the detections carry the hashed image ids training writes when it "
        + "rebuilds the ground truth from the eval records; mapped to the COCO ids of \(annotations)\n").utf8))
    }
    let evaluator = try COCOEvaluator(groundTruth: gt, detections: dets, detectionsSource: detections)
    let evaluations = evaluator.evaluate()
    lap("evaluated \(evaluator.imageIDs.count) images x \(evaluator.categoryIDs.count) categories")
    let accumulation = evaluator.accumulate(evaluations)
    lap("accumulated")
    let metrics = evaluator.summarize(accumulation)
    print(metrics.summary, terminator: "")
    if !noPerCategory {
      print("")
      print(metrics.perCategoryTable, terminator: "")
    }
    if let json {
      do {
        try metrics.jsonData().write(to: URL(fileURLWithPath: json))
      } catch {
        throw CommandFailure("cannot write metrics to \(json): \(error.localizedDescription); check the directory exists and is writable.")
      }
    }
  }
}
