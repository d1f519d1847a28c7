import ArgumentParser
import Config
import Coordinator
import Data
import Evaluation
import Foundation
import Recipe

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

      With --model_dir alone, a training run's newest MODEL_DIR/eval_validation_data/detections-STEP.json \
      (or that of --step) is scored against the ground truth rebuilt, as training's evaluation rebuilds it, \
      from the eval records that MODEL_DIR/pipeline.config names (every sample_1_of_n_examples-th record, as \
      evaluated); --annotations scores it against an instances file instead.

      Example:
        ssd eval --annotations instances_val2017.json --detections detections.json --json metrics.json
        ssd eval --annotations instances_val2017.json --detections runs/x/eval_validation_data/detections-1000.json
        ssd eval --model_dir runs/x                # the newest evaluation of runs/x, ground truth from its records
      """)

  @Option(help: "Ground truth: a COCO instances JSON file (images, annotations, categories). Default with --model_dir: rebuilt from the eval records of its pipeline.config.")
  var annotations: String?

  @Option(help: "Detections: a COCO results JSON list of {image_id, category_id, bbox: [x, y, w, h], score}. Default with --model_dir: its newest eval_validation_data/detections-STEP.json.")
  var detections: String?

  @Option(name: .customLong("model_dir"), help: "A training run's model_dir: its detections and pipeline.config are the defaults.")
  var modelDir: String?

  @Option(name: .customLong("pipeline_config_path"), help: "With --model_dir: the config naming the eval records (default MODEL_DIR/pipeline.config).")
  var pipelineConfigPath: String?

  @Option(help: "With --model_dir: the evaluation step whose detections to score (default: the newest).")
  var step: Int?

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
      FileHandle.standardError.write(Foundation.Data("\(what) (t=\(String(format: "%.2f", seconds))s)\n".utf8))
      start = now
    }
    guard modelDir != nil || (annotations != nil && detections != nil) else {
      throw ValidationError("pass --annotations and --detections, or --model_dir of a training run")
    }
    let detections = try self.detections ?? Self.newestDetections(modelDir: modelDir!, step: step)
    let gt: COCO, annotations: String
    if let given = self.annotations {
      annotations = given
      gt = try COCO(contentsOf: given)
    } else {
      let path = try ModelDirConfig.path(given: pipelineConfigPath, modelDir: modelDir!)
      annotations = "the eval records of \(path)"
      gt = try Self.recordsGroundTruth(configPath: path)
    }
    lap("loaded \(gt.images.count) images, \(gt.annotations.count) annotations, \(gt.categories.count) categories from \(annotations)")
    let loaded = try COCODetection.loadResults(contentsOf: detections)
    lap("loaded \(loaded.count) detections from \(detections)")
    let (dets, remapped) = try COCODetection.pairedImageIDs(loaded, groundTruth: gt, detectionsSource: detections,
                                                             groundTruthSource: annotations)
    if remapped {
      FileHandle.standardError.write(Foundation.Data(("note: the detections carry the hashed image ids training writes when it "
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

  /// `MODEL_DIR/eval_validation_data/detections-<step>.json` of `step`, or of the newest step.
  static func newestDetections(modelDir: String, step: Int?) throws -> String {
    let dir = (modelDir as NSString).appendingPathComponent("eval_validation_data")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    let steps = names.compactMap { name -> Int? in
      guard name.hasPrefix("detections-"), name.hasSuffix(".json") else { return nil }
      return Int(name.dropFirst("detections-".count).dropLast(".json".count))
    }
    guard let chosen = step ?? steps.max(), steps.contains(chosen) else {
      throw CommandFailure("\(dir) has no detections-\(step.map(String.init) ?? "STEP").json"
        + (steps.isEmpty ? " (no evaluation has run in this model_dir)" : " (steps there: \(steps.sorted().map(String.init).joined(separator: ", ")))")
        + "; pass --detections FILE or another --step")
    }
    return (dir as NSString).appendingPathComponent("detections-\(chosen).json")
  }

  /// The ground truth training's evaluation scores against (`EvaluationGroundTruth.fromRecords`):
  /// every `sample_1_of_n_examples`-th record of the config's `eval_input_reader`, image sizes
  /// from the JPEG headers, categories from its label map.
  static func recordsGroundTruth(configPath: String) throws -> COCO {
    do {
      let config = try PipelineConfig.load(path: configPath)
      guard let reader = config.evalInputReader else {
        throw CommandFailure("\(configPath) has no eval_input_reader; pass --annotations")
      }
      let numClasses = config.model.ssd.numClasses
      let records = try InputRecords(reader, numClasses: numClasses, what: "eval_input_reader", file: configPath)
      let jpeg = JPEGDecoder()
      var entries: [(info: SampleInfo, groundTruth: GroundTruth)] = []
      for i in stride(from: 0, to: records.source.count, by: max(1, reader.sample1OfNExamples)) {
        let sample = try records.source.sample(i)
        let header = try sample.jpeg.withUnsafeBytes { try jpeg.header($0) }
        var info = sample.info
        info.decodedHeight = header.height
        info.decodedWidth = header.width
        entries.append((info, sample.groundTruth))
      }
      return try EvaluationGroundTruth.fromRecords(
        entries, categories: EvaluationGroundTruth.categories(labelMap: records.labelMap, numClasses: numClasses),
        maxBoxes: reader.maxNumberOfBoxes)
    } catch let error as CommandFailure {
      throw error
    } catch {
      throw CommandFailure(error)
    }
  }
}
