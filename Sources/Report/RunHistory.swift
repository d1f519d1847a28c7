import Foundation

/// Everything a run left in its model_dir that the report shows, gathered from:
/// - DLLogger reports (`DLLL ` JSON lines): LOG lines with a step give per-step values
///   (`total_loss`, `classification_loss`, `localization_loss`, `regularization_loss`,
///   `learning_rate`, `train_throughput`, the `perf/…` step-time split, …); LOG lines with
///   the 12 COCO metric names give evaluation points; `step: "PARAMETER"` lines give the run
///   configuration; step-less `train_throughput` lines (one per training phase) are placed
///   at the largest step logged before them, else at the k-th evaluation file's step, else at k;
/// - `ssd train`'s standard-output progress lines (`step N | loss …`) and the distributed
///   coordinator's `timing | …` lines, if saved to a `*.log` file;
/// - TensorBoard event files: `MODEL_DIR/events.out.tfevents.*` (training scalars) and
///   `eval*/events.out.tfevents.*` (COCO metrics, evaluation losses, per-category AP and the
///   `Detections_Left_Groundtruth_Right` pictures of the gallery), with TensorBoard's rule for
///   restarted runs: a session START at step s drops what earlier files logged at steps ≥ s;
/// - `eval_<name>/metrics-<step>.json` (COCO metrics with per-category AP and losses);
/// - the `checkpoint` state file and `pipeline.config`, if present.
/// When the same step and key come from several sources, the DLLogger value wins, then the
/// console log, then the event file (whose scalars are float32); for an evaluation the
/// metrics file wins over the event file and DLLogger.
/// Each source the trainer writes that is missing or damaged adds a line to `warnings`.
public struct RunHistory {
  /// Key → (step, value) in step order (one value per step).
  public var series: [String: [(step: Int, value: Double)]] = [:]
  /// Step-less per-phase training throughput (`train_throughput` with `step: []`).
  public var phaseThroughput: [(step: Int, value: Double)] = []
  /// Evaluations by step (metrics JSON files, else event files, else DLLogger lines), ascending step.
  public var evaluations: [EvaluationPoint] = []
  /// `PARAMETER` entries and METADATA units, in file order.
  public var parameters: [(key: String, value: String)] = []
  public var units: [String: String] = [:]
  public var checkpoints: [String] = []
  public var pipelineConfig: String?
  /// The gallery: the pictures of each evaluation's newest step that has any.
  public var gallery: [GalleryImage] = []
  /// Files read, for the report's sources section.
  public var sources: [String] = []
  /// Missing or damaged sources, one sentence each saying what is missing and why it matters.
  public var warnings: [String] = []

  public init() {}

  /// Reads `modelDir`. DLLogger reports are `raportFiles` when given, else every top-level
  /// file of modelDir that starts with `DLLL `; training logs are `trainLogs` when given,
  /// else top-level `*.log` files.
  public init(modelDir: String, raportFiles: [String]? = nil, trainLogs: [String]? = nil) throws {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: modelDir, isDirectory: &isDir), isDir.boolValue else {
      throw ReportError.notADirectory(path: modelDir)
    }
    let names = ((try? fm.contentsOfDirectory(atPath: modelDir)) ?? []).sorted()
    func inDir(_ n: String) -> String { (modelDir as NSString).appendingPathComponent(n) }
    let reports = raportFiles ?? names.map(inDir).filter { DLLoggerRecord.looksLikeReport(path: $0) }
    let logs = trainLogs ?? names.filter { $0.hasSuffix(".log") }.map(inDir)

    var fromDLLogger: [String: [Int: Double]] = [:]
    var dlllEvals: [EvaluationPoint] = []
    var steplessEvals: [(after: Int?, point: EvaluationPoint)] = []
    var steplessThroughput: [(after: Int?, value: Double)] = []
    var maxStep: Int?
    for path in reports {
      sources.append(path)
      for r in try DLLoggerRecord.read(path: path) {
        if r.type == "METADATA" {
          if let m = r.metric, let u = r.unit { units[m] = u }
          continue
        }
        switch r.step {
        case .name(let n) where n == "PARAMETER":
          for k in r.numbers.keys.sorted() { parameters.append((k, LinePlot.number(r.numbers[k]!))) }
          for k in r.strings.keys.sorted() { parameters.append((k, r.strings[k]!)) }
        case .global(let step):
          maxStep = max(maxStep ?? step, step)
          if Self.isEvaluation(r.numbers) {
            dlllEvals.append(Self.evaluation(r.numbers, step: step, source: path))
          } else {
            for (k, v) in r.numbers { fromDLLogger[k, default: [:]][step] = v }
          }
        case .none, .name:
          if Self.isEvaluation(r.numbers) {
            steplessEvals.append((maxStep, Self.evaluation(r.numbers, step: 0, source: path)))
          } else if let t = r.numbers["train_throughput"] {
            steplessThroughput.append((maxStep, t))
          }
        }
      }
    }
    if reports.isEmpty {
      warnings.append("no DLLogger report in \(modelDir): ssd train writes it to --raport_file (default summary.json in the "
                      + "working directory, not in model_dir); pass --raport_file PATH to include its per-phase throughput "
                      + "and run parameters")
    }

    var fromLog: [String: [Int: Double]] = [:]
    for path in logs {
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw ReportError.unreadable(path: path, reason: "not UTF-8 text")
      }
      var any = false
      var lastStep: Int?
      for line in text.split(separator: "\n") {
        if let (step, values) = TrainLogLine.parse(line) {
          any = true
          lastStep = step
          for (k, v) in values { fromLog[k, default: [:]][step] = v }
        } else if let timing = TimingLine.parse(line), let step = lastStep {
          any = true
          for (k, v) in timing { fromLog[k, default: [:]][step] = v }
        }
      }
      if any { sources.append(path) }
    }

    // Event files: training scalars at the top level, evaluations in eval*/ directories.
    let trainEvents = readTrainingEvents(modelDir)
    if trainEvents.files == 0 {
      warnings.append("no training event files (\(modelDir)/events.out.tfevents.*): TensorBoard shows nothing for this "
                      + "run, and the report has no perf/ step-time split unless the DLLogger report holds it")
    }

    // Merge per-step values: DLLogger > console log > event files.
    var merged = trainEvents.values
    for (k, byStep) in fromLog { for (s, v) in byStep { merged[k, default: [:]][s] = v } }
    for (k, byStep) in fromDLLogger { for (s, v) in byStep { merged[k, default: [:]][s] = v } }
    for (k, byStep) in merged {
      series[k] = byStep.keys.sorted().map { ($0, byStep[$0]!) }
    }

    // Evaluations: eval_<name>/metrics-<step>.json, then eval*/ event files.
    var fileEvals: [EvaluationPoint] = []
    var eventEvals: [EvaluationPoint] = []
    let evalDirs = names.filter { $0 == "eval" || $0.hasPrefix("eval_") }.filter { n in
      var d: ObjCBool = false
      return fm.fileExists(atPath: inDir(n), isDirectory: &d) && d.boolValue
    }
    for dir in evalDirs {
      let sub = inDir(dir)
      let name = dir == "eval" ? "eval" : String(dir.dropFirst("eval_".count))
      for f in ((try? fm.contentsOfDirectory(atPath: sub)) ?? []).sorted()
      where f.hasPrefix("metrics-") && f.hasSuffix(".json") {
        guard let step = Int(f.dropFirst("metrics-".count).dropLast(".json".count)) else { continue }
        let path = (sub as NSString).appendingPathComponent(f)
        fileEvals.append(try Self.readMetrics(path: path, step: step, name: name))
        sources.append(path)
      }
      let fromEvents = readEvaluationEvents(sub, name: name)
      if fromEvents.files == 0 {
        warnings.append("no event files in \(sub): TensorBoard shows no evaluation there, and the gallery has no pictures "
                        + "of this evaluation")
      }
      eventEvals += fromEvents.points
      gallery += fromEvents.images
    }
    if evalDirs.isEmpty {
      warnings.append("no evaluation directory (\(modelDir)/eval_<name>/): no evaluation has finished yet")
    } else if gallery.isEmpty {
      warnings.append("no Detections_Left_Groundtruth_Right pictures in the evaluation event files: the gallery is empty")
    }

    // Step-less lines: a phase's throughput belongs to the step the phase ended at — the
    // largest step logged before it, else the step of the k-th evaluation file (the trainer
    // evaluates after each phase), else k. Step-less metrics duplicate the metrics files
    // when there are any; otherwise they take their position the same way.
    let fileSteps = Array(Set(fileEvals.map(\.step))).sorted()
    func place(_ after: Int?, _ k: Int) -> Int { after ?? (k < fileSteps.count ? fileSteps[k] : k + 1) }
    phaseThroughput = steplessThroughput.enumerated().map { k, e in (place(e.after, k), e.value) }
    if fileEvals.isEmpty && eventEvals.isEmpty {
      for (k, e) in steplessEvals.enumerated() {
        var p = e.point
        p.step = place(e.after, k)
        dlllEvals.append(p)
      }
    }
    func key(_ e: EvaluationPoint) -> String { "\(e.name)@\(e.step)" }
    let fileKeys = Set(fileEvals.map(key))
    let withEvents = fileEvals + eventEvals.filter { !fileKeys.contains(key($0)) }
    let known = Set(withEvents.map(\.step))
    evaluations = (withEvents + dlllEvals.filter { !known.contains($0.step) })
      .sorted { ($0.step, $0.name) < ($1.step, $1.name) }

    if let state = try? String(contentsOfFile: inDir("checkpoint"), encoding: .utf8) {
      for line in state.split(separator: "\n") where line.hasPrefix("all_model_checkpoint_paths:") {
        checkpoints.append(line.split(separator: "\"", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? "")
      }
    } else {
      warnings.append("no checkpoint state file (\(modelDir)/checkpoint): no checkpoint has been committed yet")
    }
    pipelineConfig = try? String(contentsOfFile: inDir("pipeline.config"), encoding: .utf8)
    if pipelineConfig == nil {
      warnings.append("no pipeline.config in \(modelDir): the report cannot show the configuration the run used")
    }
  }

  /// Whether a LOG line's data are COCO metrics (it holds `Precision/mAP`).
  static func isEvaluation(_ numbers: [String: Double]) -> Bool {
    numbers.keys.contains { EvaluationPoint.canonical($0) == "Precision/mAP" }
  }

  static func evaluation(_ numbers: [String: Double], step: Int, source: String) -> EvaluationPoint {
    var m: [String: Double] = [:]
    for (k, v) in numbers { m[EvaluationPoint.canonical(k)] = v }
    return EvaluationPoint(step: step, name: "log", metrics: m, perCategory: [], source: source)
  }

  /// Reads a metrics JSON file (`COCOMetrics.jsonData()`: `metrics`, `per_category`; the
  /// trainer adds `losses`).
  static func readMetrics(path: String, step: Int, name: String) throws -> EvaluationPoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ReportError.unreadable(path: path, reason: "no such file or not readable")
    }
    guard let object = (try? JSONValue.parse(String(decoding: data, as: UTF8.self)))?.object else {
      throw ReportError.badMetrics(path: path, reason: "not a JSON object")
    }
    guard let metrics = object["metrics"]?.object else {
      throw ReportError.badMetrics(path: path, reason: "no \"metrics\" object")
    }
    var m: [String: Double] = [:]
    for (k, v) in metrics {
      guard let n = v.number else { throw ReportError.badMetrics(path: path, reason: "metric \(k) is not a number") }
      m[EvaluationPoint.canonical(k)] = n
    }
    var cats: [EvaluationPoint.CategoryAP] = []
    for entry in object["per_category"]?.array ?? [] {
      guard let e = entry.object, let id = e["id"]?.number, let ap = e["ap"]?.number, let ap50 = e["ap50"]?.number else {
        throw ReportError.badMetrics(path: path, reason: "a per_category entry lacks id, ap or ap50")
      }
      cats.append(.init(id: Int(id), name: e["name"]?.string ?? "", ap: ap, ap50: ap50))
    }
    var losses: [String: Double] = [:]
    for (k, v) in object["losses"]?.object ?? [:] { if let n = v.number { losses[k] = n } }
    return EvaluationPoint(step: step, name: name, metrics: m, perCategory: cats, losses: losses, source: path)
  }

  /// Whether anything at all was found.
  public var isEmpty: Bool {
    series.isEmpty && phaseThroughput.isEmpty && evaluations.isEmpty && parameters.isEmpty && gallery.isEmpty
  }
}
