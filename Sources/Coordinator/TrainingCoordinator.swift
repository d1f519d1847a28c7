import Checkpoint
import Config
import Data
import Evaluation
import Formats
import Foundation
import Model
import Recipe
import Wire

/// Runs model_main.py's schedule over a `TrainingBackend` (spec §11):
///
/// - **Training** (no `--checkpoint_dir`): resume from the newest checkpoint in model_dir, or
///   else restore `fine_tune_checkpoint` (when `load_pretrained`), or else start from the
///   initializers; then `eval_count` times: train up to `(i+1)·(num_steps/eval_count)` steps,
///   checkpoint, evaluate on `eval_input_reader[0]`. Step targets are absolute, so a resumed
///   run does exactly the steps an uninterrupted one would have left (TF's `steps=` would
///   train a full chunk more).
/// - **Eval-only** (`--checkpoint_dir`): evaluate the newest checkpoint once (`--run_once`)
///   or every new checkpoint as it appears until one with step ≥ num_steps.
///
/// Each evaluation writes `<model_dir>/eval_<name>/metrics-<step>.json` (`COCOMetrics`) and
/// `detections-<step>.json` (COCO results format), prints pycocotools' summary and logs the 12
/// metrics to the DLLogger report. Checkpoints are V2 bundles written atomically by
/// `CheckpointSaver` (see `RunCheckpoint` for the contents); every restore goes through
/// `CheckpointLoader`.
///
/// The backend is the single-process `TrainingWorker` (`ssd train`) or the
/// `DistributedBackend` of `ssd coordinator`; the coordinator does not know which.
public final class TrainingCoordinator {
  public let plan: ModelMainPlan
  public let modelDir: String
  public let options: TrainingOptions
  public let backend: TrainingBackend
  public let numClasses: Int
  public private(set) var globalStep = 0
  private var dllogger: DLLogger?
  private let saver: CheckpointSaver
  private var evalRecords: InputRecords?

  public init(plan: ModelMainPlan, modelDir: String, options: TrainingOptions, backend: TrainingBackend) {
    self.plan = plan
    self.modelDir = modelDir
    self.options = options
    self.backend = backend
    self.numClasses = plan.config.model.ssd.numClasses
    self.saver = CheckpointSaver(directory: modelDir, keep: options.keepCheckpointMax)
  }

  /// Training set size and global batch (recorded in checkpoints): the backend's.
  public var trainExamples: Int { backend.trainExamples }
  public var globalBatchSize: Int { backend.globalBatchSize }

  /// The records of the evaluation reader (opened on first use, then kept).
  func evaluationRecords() throws -> InputRecords {
    if let r = evalRecords { return r }
    let r = try InputRecords(plan.evaluationInputReader, numClasses: numClasses, what: "eval_input_reader",
                             file: plan.config.file, skipBadRecords: options.skipBadRecords)
    evalRecords = r
    return r
  }

  /// Runs the plan's mode. Returns the metrics of the last evaluation (nil if none ran).
  @discardableResult
  public func run() throws -> COCOMetrics? {
    if let path = options.raportFile { dllogger = try DLLogger(path: path) }
    switch plan.mode {
    case .train: return try train()
    case .evaluate(let dir, let runOnce, let onTrain): return try evaluateCheckpoints(dir, runOnce: runOnce, onTrain: onTrain)
    }
  }

  // MARK: Training

  func train() throws -> COCOMetrics? {
    try initializeForTraining()
    let reporter = ProgressReporter(every: options.logEveryNSteps, bar: options.progressBar, totalSteps: plan.trainSteps)
    let chunk = plan.stepsPerTrainCall
    let saveEvery = options.saveCheckpointsSteps ?? chunk
    var last: COCOMetrics?
    for call in 0..<plan.evalCount {
      let target = (call + 1) * chunk
      var trained = false
      if globalStep < target {
        try trainPhase(to: target, saveEvery: saveEvery, reporter: reporter)
        trained = true
      }
      let isLast = call == plan.evalCount - 1
      if trained || (isLast && !FileManager.default.fileExists(atPath: metricsPath(name: "validation_data", step: globalStep))) {
        last = try evaluate(name: "validation_data", reader: plan.evaluationInputReader, step: globalStep)
      }
    }
    return last
  }

  /// Resume > fine-tune > fresh (spec §10.5: an existing model_dir checkpoint wins).
  func initializeForTraining() throws {
    if let latest = try CheckpointState.latestCheckpoint(directory: modelDir) {
      let loader = try CheckpointLoader(path: latest)
      let (run, slots) = try restoreRun(from: loader)
      if let s = run.seed, s != options.seed {
        throw CoordinatorError.checkpointMismatch(path: latest, reason: "written with --seed \(s), this run has --seed \(options.seed); "
                                                  + "use the same seed to resume exactly (or a new --model_dir)")
      }
      if let b = run.globalBatchSize, b != globalBatchSize {
        print("warning: \(latest) was trained with global batch \(b), now \(globalBatchSize): the data order will not continue exactly")
      }
      if let n = run.trainExamples, n != trainExamples {
        print("warning: \(latest) was trained on \(n) examples, now \(trainExamples): the data order will not continue exactly")
      }
      globalStep = run.globalStep
      print("Resuming from \(latest) at step \(globalStep) (\(slots) momentum slots restored)")
      return
    }
    globalStep = 0
    let ft = plan.config.trainConfig.fineTuneCheckpoint
    if plan.restoresFineTuneCheckpoint {
      try restoreFineTune(path: ft, type: plan.config.trainConfig.fineTuneCheckpointType)
    } else if !ft.isEmpty {
      print("Not restoring fine_tune_checkpoint \(ft): load_pretrained=false; training from the initializers")
    } else {
      print("No checkpoint in \(modelDir) and no fine_tune_checkpoint: training from the initializers")
    }
  }

  /// Every variable and momentum slot of one of our checkpoints into the backend; returns the
  /// run's state and the number of momentum slots found. A checkpoint of another model is a
  /// `CoordinatorError.checkpointMismatch`, before anything is written.
  func restoreRun(from loader: CheckpointLoader) throws -> (RunCheckpoint.State, slots: Int) {
    var momentum: (values: [Float], slots: Int) = ([], 0)
    do {
      try backend.updateParameters { p in
        try loader.load(into: p, requireAll: true)
        momentum = try loader.momentum(for: p)
      }
    } catch let error as CheckpointLoadError {
      throw CoordinatorError.checkpointMismatch(path: loader.reader.path, reason: "\(error)")
    }
    try backend.setFullMomentum(momentum.values)
    return (loader.runState, momentum.slots)
  }

  /// `fine_tune_checkpoint_type` classification: `FeatureExtractor/` variables from the
  /// prefix-less names; detection (or empty with `from_detection_checkpoint`): same names.
  /// What the checkpoint lacks keeps its initializer.
  func restoreFineTune(path: String, type: String) throws {
    let scope: String
    switch type {
    case "classification", "": scope = "FeatureExtractor/"
    case "detection": scope = ""
    default:
      throw CoordinatorError.checkpointMismatch(path: path, reason: "fine_tune_checkpoint_type '\(type)' is not "
                                                + "supported; use classification or detection")
    }
    let loader = try CheckpointLoader(path: path)
    var report: CheckpointLoadReport?
    try backend.updateParameters { p in report = try loader.load(into: p, scope: scope, requireAll: false) }
    let r = report!
    print("fine_tune_checkpoint \(path) (\(r.format), type \(type.isEmpty ? "classification" : type)): "
          + "restored \(r.restored.count) variables, \(r.missing.count) not in the checkpoint, "
          + "\(r.mismatched.count) with another shape or type, \(r.outOfScope.count) outside '\(scope)'")
    for line in r.details { print(line) }
  }

  func trainPhase(to target: Int, saveEvery: Int, reporter: ProgressReporter) throws {
    defer { backend.endTrainingPhase() }
    var throughputs: [Double] = []
    while globalStep < target {
      let t0 = Date()
      let stats: StepStats
      do {
        stats = try backend.trainStep(globalStep: globalStep)
      } catch let error as NonFiniteLossError {
        reporter.clearBar()
        throw error
      }
      throughputs.append(Double(globalBatchSize) / max(Date().timeIntervalSince(t0), 1e-9))
      globalStep += 1
      reporter.stepFinished(StepStatsSummary(
        step: stats.step, totalLoss: stats.totalLoss, classificationLoss: stats.classificationLoss,
        localizationLoss: stats.localizationLoss, regularizationLoss: stats.regularizationLoss,
        learningRate: stats.learningRate, images: globalBatchSize, inputSeconds: stats.inputSeconds),
        force: globalStep == target)
      if globalStep % max(1, options.logEveryNSteps) == 0 || globalStep == target {
        dllogger?.log([("total_loss", Double(stats.totalLoss)), ("classification_loss", Double(stats.classificationLoss)),
                       ("localization_loss", Double(stats.localizationLoss)),
                       ("regularization_loss", Double(stats.regularizationLoss)),
                       ("learning_rate", Double(stats.learningRate))], step: globalStep)
      }
      if globalStep % saveEvery == 0 || globalStep == target { try saveCheckpoint(reporter: reporter) }
    }
    // DLLoggerHook: per-step throughput averaged after a 100-step warm-up (all steps but the
    // first when a phase is that short).
    let skip = throughputs.count > 100 ? 100 : min(1, throughputs.count - 1)
    let kept = throughputs.dropFirst(skip)
    if !kept.isEmpty { dllogger?.log([("train_throughput", kept.reduce(0, +) / Double(kept.count))]) }
  }

  func saveCheckpoint(reporter: ProgressReporter?) throws {
    let tensors = RunCheckpoint.tensors(parameters: try backend.currentParameters(), momentum: try backend.fullMomentum(),
                                        seed: options.seed, globalBatchSize: globalBatchSize, trainExamples: trainExamples)
    let prefix = try saver.save(step: Int64(globalStep), tensors: tensors)
    reporter?.message("Saved checkpoint \(prefix)")
  }

  // MARK: Evaluation

  func metricsPath(name: String, step: Int) -> String { "\(modelDir)/eval_\(name)/metrics-\(step).json" }

  /// Evaluates the backend's current parameters (inference mode) on `reader`'s records,
  /// every `sample_1_of_n_examples`-th one.
  @discardableResult
  public func evaluate(name: String, reader: InputReaderConfig, step: Int) throws -> COCOMetrics {
    let records = try evaluationRecords()
    let (source, labelMap) = (records.source, records.labelMap)
    let n = max(1, reader.sample1OfNExamples)
    let indices = Array(stride(from: 0, to: source.count, by: n))
    let t0 = Date()
    let images = try backend.evaluate(source: source, indices: indices, batchSize: options.evalBatchSize)
    let inferSeconds = Date().timeIntervalSince(t0)
    let gtSource: EvaluationGroundTruth.Source
    if let path = options.evalAnnotations {
      gtSource = .fromInstances(try COCO(contentsOf: path))
    } else {
      gtSource = .fromRecords(categories: EvaluationGroundTruth.categories(labelMap: labelMap, numClasses: numClasses),
                              maxBoxes: reader.maxNumberOfBoxes)
    }
    let (gt, detections) = try EvaluationGroundTruth.build(images, source: gtSource)
    let metrics = try COCOEvaluator(groundTruth: gt, detections: detections).run()
    let dir = "\(modelDir)/eval_\(name)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let losses = Self.meanLosses(images)
    try write(Self.metricsJSON(metrics, step: step, losses: losses), to: metricsPath(name: name, step: step))
    try write(COCODetection.resultsJSON(detections), to: "\(dir)/detections-\(step).json")
    print(String(format: "Evaluation at step %d on %@ (%d of %d images, every %d-th; %.1f img/s):", step, name,
                 images.count, source.count, n, Double(images.count) / max(inferSeconds, 1e-9)))
    print(metrics.summary, terminator: "")
    print(losses.map { "\($0.0) " + String(format: "%.6f", $0.1) }.joined(separator: " | "))
    print("Wrote \(metricsPath(name: name, step: step)) and \(dir)/detections-\(step).json")
    dllogger?.log(metrics.namedStats.map { (String($0.name.dropFirst("DetectionBoxes_".count)), $0.value) })
    return metrics
  }

  /// Means over the evaluated images of the per-image losses, under the OD API's names.
  static func meanLosses(_ images: [EvaluatedImage]) -> [(String, Double)] {
    let l = images.compactMap(\.losses)
    guard !l.isEmpty else { return [] }
    func mean(_ f: (EvaluationLosses) -> Float) -> Double { l.reduce(0.0) { $0 + Double(f($1)) } / Double(l.count) }
    return [("Loss/localization_loss", mean(\.localization)), ("Loss/classification_loss", mean(\.classification)),
            ("Loss/regularization_loss", mean(\.regularization)), ("Loss/total_loss", mean(\.total))]
  }

  /// `COCOMetrics.jsonData()` with two more top-level keys, `"global_step"` and `"losses"`.
  static func metricsJSON(_ metrics: COCOMetrics, step: Int, losses: [(String, Double)]) -> Foundation.Data {
    var text = String(decoding: metrics.jsonData(), as: UTF8.self)
    guard text.hasPrefix("{") else { return metrics.jsonData() }
    let lossText = losses.map { "\"\($0.0)\": \($0.1.isFinite ? "\($0.1)" : "null")" }.joined(separator: ", ")
    text.insert(contentsOf: "\n  \"global_step\": \(step),\n  \"losses\": {\(lossText)},", at: text.index(after: text.startIndex))
    return Foundation.Data(text.utf8)
  }

  /// Writes an evaluation file atomically and durably (`AtomicFile`).
  private func write(_ data: Foundation.Data, to path: String) throws {
    do {
      try AtomicFile.write([UInt8](data), to: path)
    } catch let error as FileWriteError {
      throw CoordinatorError.cannotWrite(path: path, reason: "\(error.operation) failed: \(error.message); check that model_dir is writable")
    }
  }

  /// Eval-only mode (`continuous_eval` unless `runOnce`).
  func evaluateCheckpoints(_ dir: String, runOnce: Bool, onTrain: Bool) throws -> COCOMetrics? {
    let name = onTrain ? "training_data" : "validation_data"
    var lastEvaluated: String?
    var metrics: COCOMetrics?
    while true {
      if let latest = try CheckpointState.latestCheckpoint(directory: dir), latest != lastEvaluated {
        globalStep = try restoreRun(from: try CheckpointLoader(path: latest)).0.globalStep
        print("Evaluating \(latest) (step \(globalStep))")
        metrics = try evaluate(name: name, reader: plan.evaluationInputReader, step: globalStep)
        lastEvaluated = latest
        if runOnce || globalStep >= plan.trainSteps { return metrics }
      } else if lastEvaluated == nil && runOnce {
        throw CoordinatorError.noCheckpoint(directory: dir)
      }
      Thread.sleep(forTimeInterval: options.evalPollSeconds)
    }
  }
}
