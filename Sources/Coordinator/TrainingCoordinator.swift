import Checkpoint
import Config
import Data
import Evaluation
import Events
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
///
/// **Stopping early** (preemption, a time limit, Ctrl-C): `stopRequest` is asked after every
/// training step, before every training phase and while eval-only mode waits. When it
/// returns a request, training writes a checkpoint at the current step (unless that step's
/// is already the newest) and `run()` throws `TrainingStopped` naming it; eval-only mode
/// stops waiting. Started again, the run resumes from that checkpoint bit for bit.
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
  private let events: RunEventLog
  /// Called at every logged step, checkpoint and evaluation, after its files are written.
  public var onMilestone: ((TrainingMilestone) -> Void)?
  /// The step of the newest checkpoint this run wrote or resumed from.
  private var committedStep: Int?
  /// Asked between steps: a pending request to stop early (`ssd` wires `StopSignals` here).
  public var stopRequest: () -> StopRequest? = { nil }

  public init(plan: ModelMainPlan, modelDir: String, options: TrainingOptions, backend: TrainingBackend) {
    self.plan = plan
    self.modelDir = modelDir
    self.options = options
    self.backend = backend
    self.numClasses = plan.config.model.ssd.numClasses
    self.saver = CheckpointSaver(directory: modelDir, keep: options.keepCheckpointMax)
    self.events = RunEventLog(modelDir: modelDir)
  }

  /// The event files this run has written so far (training first, then per evaluation).
  public var eventFiles: [String] { events.paths }

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
    defer { events.close() }
    switch plan.mode {
    case .train: return try train()
    case .evaluate(let dir, let runOnce, let onTrain): return try evaluateCheckpoints(dir, runOnce: runOnce, onTrain: onTrain)
    }
  }

  // MARK: Training

  func train() throws -> COCOMetrics? {
    try saveConfig()
    try initializeForTraining()
    try events.startTraining(firstStep: globalStep + 1)
    let reporter = ProgressReporter(every: options.logEveryNSteps, bar: options.progressBar, totalSteps: plan.trainSteps)
    let chunk = plan.stepsPerTrainCall
    let saveEvery = options.saveCheckpointsSteps ?? chunk
    var last: COCOMetrics?
    for call in 0..<plan.evalCount {
      let target = (call + 1) * chunk
      if globalStep < target, let request = stopRequest() { try stop(request, reporter: reporter) }
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

  /// Writes `MODEL_DIR/pipeline.config` (the config as used, `ModelMainPlan.configAsUsed`)
  /// atomically, so the model_dir describes itself.
  func saveConfig() throws {
    let path = PipelineConfig.savedPath(modelDir: modelDir)
    let text: String
    do {
      text = try plan.configAsUsed().savedText()
    } catch {
      throw CoordinatorError.cannotWrite(path: path, reason: "the config as used cannot be written back: \(error)")
    }
    try write(Foundation.Data(text.utf8), to: path)
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
      committedStep = globalStep
      print("Resuming from \(latest) at step \(globalStep) (\(slots) momentum slots restored)")
      return
    }
    globalStep = 0
    let ft = plan.config.trainConfig.fineTuneCheckpoint
    if plan.restoresFineTuneCheckpoint {
      try restoreFineTune(FineTuneCheckpoint(plan.config.trainConfig))
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
  func restoreFineTune(_ ft: FineTuneCheckpoint) throws {
    let loader = try CheckpointLoader(path: ft.path)
    var report: CheckpointLoadReport?
    var refusal: String?
    try backend.updateParameters { p in
      // Nothing restorable is refused before anything is written.
      let plan = ft.mapping(loader.reader, variables: p.variables.map { ($0.name, $0.shape) })
      refusal = ft.problem(plan, variableCount: p.variables.count)
      if refusal == nil { report = try loader.load(into: p, scope: ft.scope, stripScope: ft.stripScope, requireAll: false) }
    }
    if let refusal { throw CoordinatorError.checkpointMismatch(path: "train_config.fine_tune_checkpoint", reason: refusal) }
    let r = report!
    print("fine_tune_checkpoint \(ft.path) (\(r.format), type \(ft.type)): "
          + "restored \(r.restored.count) variables, \(r.missing.count) not in the checkpoint, "
          + "\(r.mismatched.count) with another shape or type, \(r.outOfScope.count) outside '\(ft.scope)'")
    for line in r.details { print(line) }
  }

  func trainPhase(to target: Int, saveEvery: Int, reporter: ProgressReporter) throws {
    defer { backend.endTrainingPhase() }
    var throughputs: [Double] = []
    var window = StepTimeWindow()
    let distributed = backend as? DistributedBackend
    while globalStep < target {
      let t0 = Date()
      let stats: StepStats
      do {
        stats = try backend.trainStep(globalStep: globalStep)
      } catch let error as NonFiniteLossError {
        reporter.clearBar()
        throw error
      }
      let wall = max(Date().timeIntervalSince(t0), 1e-9)
      throughputs.append(Double(globalBatchSize) / wall)
      window.add(wallSeconds: wall, stats: stats, workers: distributed?.lastStepWorkerStats ?? [], images: globalBatchSize)
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
        try events.trainingScalars(Self.trainingScalars(stats) + window.scalars(), step: globalStep)
        window.restart()
        onMilestone?(.loggedStep(globalStep))
      }
      if globalStep % saveEvery == 0 || globalStep == target { try saveCheckpoint(reporter: reporter) }
      // At a phase's last step the phase ends as usual (its evaluation runs); the next one
      // does not start (`train`).
      if globalStep < target, let request = stopRequest() { try stop(request, reporter: reporter) }
    }
    // DLLoggerHook: per-step throughput averaged after a 100-step warm-up (all steps but the
    // first when a phase is that short).
    let skip = throughputs.count > 100 ? 100 : min(1, throughputs.count - 1)
    let kept = throughputs.dropFirst(skip)
    if !kept.isEmpty { dllogger?.log([("train_throughput", kept.reduce(0, +) / Double(kept.count))]) }
  }

  /// The recipe's training scalars of one step (docs/model_main.md): the loss parts, the
  /// learning rate, `loss` (the total loss, as `optimize_loss` names it) and the mean matched
  /// (positive) anchors per image of the step's batch, all workers.
  static func trainingScalars(_ stats: StepStats) -> [(tag: String, value: Float)] {
    [(EventTags.classificationLoss, stats.classificationLoss), (EventTags.localizationLoss, stats.localizationLoss),
     (EventTags.regularizationLoss, stats.regularizationLoss), (EventTags.totalLoss, stats.totalLoss),
     (EventTags.learningRate, stats.learningRate), (EventTags.loss, stats.totalLoss),
     (EventTags.avgNumPositiveAnchorsPerImage, Float(stats.numMatches) / Float(max(1, stats.images)))]
  }

  func saveCheckpoint(reporter: ProgressReporter?) throws {
    let tensors = RunCheckpoint.tensors(parameters: try backend.currentParameters(), momentum: try backend.fullMomentum(),
                                        seed: options.seed, globalBatchSize: globalBatchSize, trainExamples: trainExamples)
    let prefix = try saver.save(step: Int64(globalStep), tensors: tensors)
    committedStep = globalStep
    reporter?.message("Saved checkpoint \(prefix)")
    try events.checkpointSaved(prefix: prefix, step: globalStep)
    onMilestone?(.checkpoint(step: globalStep, prefix: prefix))
  }

  /// Ends training early at the current step: a checkpoint of it (unless it is already the
  /// newest), a line saying where, then `TrainingStopped`.
  func stop(_ request: StopRequest, reporter: ProgressReporter) throws -> Never {
    if committedStep != globalStep { try saveCheckpoint(reporter: reporter) }
    let stopped = TrainingStopped(request: request, step: globalStep, checkpoint: saver.prefix(step: Int64(globalStep)))
    reporter.message("\(stopped)")
    throw stopped
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
    let images = try evaluateWithProgress(source: source, indices: indices)
    let inferSeconds = Date().timeIntervalSince(t0)
    let gtSource: EvaluationGroundTruth.Source
    if let path = options.evalAnnotations {
      gtSource = .fromInstances(try COCO(contentsOf: path))
    } else {
      gtSource = .fromRecords(categories: EvaluationGroundTruth.categories(labelMap: labelMap, numClasses: numClasses),
                              maxBoxes: reader.maxNumberOfBoxes)
    }
    let (gt, detections) = try EvaluationGroundTruth.build(images, source: gtSource)
    let categories = gt.categories
    let metrics = try COCOEvaluator(groundTruth: gt, detections: detections).run()
    let dir = "\(modelDir)/eval_\(name)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let losses = Self.meanLosses(images)
    let perCategory = plan.config.evalConfig.includeMetricsPerCategory
    try write(Self.metricsJSON(metrics, step: step, losses: losses, includePerCategory: perCategory),
              to: metricsPath(name: name, step: step))
    try write(COCODetection.resultsJSON(detections), to: "\(dir)/detections-\(step).json")
    print(String(format: "Evaluation at step %d on %@ (%d of %d images, every %d-th; %.1f img/s):", step, name,
                 images.count, source.count, n, Double(images.count) / max(inferSeconds, 1e-9)))
    print(metrics.consoleTable(includePerCategory: perCategory), terminator: "")
    print(losses.map { "\($0.0) " + String(format: "%.6f", $0.1) }.joined(separator: " | "))
    print("Wrote \(metricsPath(name: name, step: step)) and \(dir)/detections-\(step).json")
    dllogger?.log(metrics.namedMetrics(includePerCategory: perCategory)
      .map { (String($0.name.dropFirst("DetectionBoxes_".count)), $0.value) })
    let pictures = try EvaluationPictures(evalConfig: plan.config.evalConfig, categories: categories).make(images, source: source)
    try events.evaluation(name: name, scalars: try evaluationScalars(metrics, losses: losses, includePerCategory: perCategory,
                                                                     step: step),
                          images: pictures, step: step)
    onMilestone?(.evaluation(name: name, step: step))
    return metrics
  }

  /// The scalars of an evaluation's event: the metrics under the recipe's names (per-category
  /// AP when asked), the evaluation-mode losses and their total as `loss` (the Estimator's
  /// mean of the model's loss), and the learning rate at the evaluated step (`model_lib` adds
  /// it to the eval metrics).
  func evaluationScalars(_ metrics: COCOMetrics, losses: [(String, Double)], includePerCategory: Bool, step: Int) throws
    -> [(tag: String, value: Float)] {
    var out: [(tag: String, value: Float)] = []
    for m in metrics.namedMetrics(includePerCategory: includePerCategory) {
      out.append((SummaryValue.sanitizedTag(m.name), Float(m.value)))
    }
    for (tag, value) in losses { out.append((tag, Float(value))) }
    if let total = losses.first(where: { $0.0 == EventTags.totalLoss }) { out.append((EventTags.loss, Float(total.1))) }
    let recipe = try SSDRecipe(config: plan.config)
    out.append((EventTags.learningRate, recipe.schedule.learningRate(step: step)))
    return out
  }

  /// `backend.evaluate` over `indices` in chunks of a few batches per worker, printing
  /// `EvaluationProgress` lines (images done, images/s, ETA) on a long evaluation. Results
  /// are the same as one call's (each image is evaluated on its own; the batch size does not
  /// change them), in `indices` order.
  func evaluateWithProgress(source: any SampleSource, indices: [Int]) throws -> [EvaluatedImage] {
    let workers = max(1, backend.globalBatchSize / max(1, plan.config.trainConfig.batchSize))
    let chunk = max(64, options.evalBatchSize * workers * 8)
    guard indices.count > 2 * chunk else {
      return try backend.evaluate(source: source, indices: indices, batchSize: options.evalBatchSize)
    }
    let clock = ContinuousClock(), start = clock.now
    func seconds() -> Double { let d = clock.now - start; return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    var progress = EvaluationProgress(total: indices.count, now: 0)
    var out: [EvaluatedImage] = []
    out.reserveCapacity(indices.count)
    for lo in stride(from: 0, to: indices.count, by: chunk) {
      out += try backend.evaluate(source: source, indices: Array(indices[lo..<min(indices.count, lo + chunk)]),
                                  batchSize: options.evalBatchSize)
      if let line = progress.update(done: out.count, now: seconds()) { print(line) }
    }
    return out
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
  static func metricsJSON(_ metrics: COCOMetrics, step: Int, losses: [(String, Double)],
                          includePerCategory: Bool = false) -> Foundation.Data {
    var text = String(decoding: metrics.jsonData(includePerCategory: includePerCategory), as: UTF8.self)
    guard text.hasPrefix("{") else { return metrics.jsonData(includePerCategory: includePerCategory) }
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
    var waiting = false
    while true {
      if let latest = try CheckpointState.latestCheckpoint(directory: dir), latest != lastEvaluated {
        waiting = false
        globalStep = try restoreRun(from: try CheckpointLoader(path: latest)).0.globalStep
        print("Evaluating \(latest) (step \(globalStep))")
        metrics = try evaluate(name: name, reader: plan.evaluationInputReader, step: globalStep)
        lastEvaluated = latest
        if runOnce || globalStep >= plan.trainSteps { return metrics }
      } else if lastEvaluated == nil && runOnce {
        throw CoordinatorError.noCheckpoint(directory: dir)
      }
      if !waiting {
        // Once per wait (as TensorFlow's "Waiting for new checkpoint"); stdout is line-buffered.
        print("Waiting for a new checkpoint in \(dir) (looking every \(options.evalPollSeconds) s)")
        waiting = true
      }
      // Waits for the next look in short slices, so that a stop request ends the wait.
      let until = Date().addingTimeInterval(options.evalPollSeconds)
      repeat {
        if let request = stopRequest() {
          let stopped = TrainingStopped(request: request, step: globalStep, checkpoint: nil)
          print("\(stopped)")
          throw stopped
        }
        Thread.sleep(forTimeInterval: min(0.2, max(0, until.timeIntervalSinceNow)))
      } while Date() < until
    }
  }
}
