import Config
import Events
import Foundation
import Report
import Testing
@testable import Coordinator
import TestSupport

/// The training tags the coordinator writes at every logged step (single process: no
/// per-worker tags).
private let trainingTags: Set<String> = [
  "Loss/classification_loss", "Loss/localization_loss", "Loss/regularization_loss", "Loss/total_loss", "learning_rate",
  "loss", "global_step/sec", "perf/images_per_sec", "perf/step_ms", "perf/step_ms_compute", "perf/step_ms_exposed_comm",
  "perf/step_ms_input", "TargetAssignment/Loss/TargetAssignment/AvgNumPositiveAnchorsPerImage",
]

/// What an evaluation event holds besides pictures: the 12 COCO metrics, the evaluation
/// losses, `loss` and `learning_rate`.
private let evaluationTags: Set<String> = Set(EventTags.cocoMetrics).union(EventTags.losses).union(["loss", "learning_rate"])

/// Reads every event file directly in `dir` (name order).
private func eventFiles(_ dir: String) throws -> [EventFile] {
  try EventFileName.files(in: dir).map { try EventFile.read(path: $0) }
}

/// Tags by step of the scalars in `files`.
private func scalarTags(_ files: [EventFile]) -> [Int64: Set<String>] {
  var out: [Int64: Set<String>] = [:]
  for f in files {
    for s in f.scalars { out[s.step, default: []].insert(s.tag) }
  }
  return out
}

/// A 4-step run (log every step, eval_count 2) observed from the coordinator's milestone
/// callback, i.e. while it runs: after each logged step the training event file already holds
/// that step's tags (and no later step), after each evaluation its event file holds the
/// metrics and pictures of that step. Then the finished files: session markers, values, and
/// the model_dir's pipeline.config.
@Test func eventFilesAreWrittenDuringTheRun() throws {
  let config = try TestRuns.config(extra: ["eval_config.include_metrics_per_category=true",
                                           "eval_config.num_visualizations=3"])
  let dir = try Fixtures.temporaryDirectory("events-live")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let plan = try TestRuns.plan(modelDir: dir, config: config, flags: ["eval_count=2"])
  let coordinator = try TestRuns.singleProcess(plan: plan, modelDir: dir, options: TestRuns.options())
  var seenSteps: [Int] = []
  var seenEvaluations: [Int] = []
  var problems: [String] = []
  coordinator.onMilestone = { milestone in
    do {
      switch milestone {
      case .loggedStep(let step):
        seenSteps.append(step)
        let files = try eventFiles(dir)
        if files.count != 1 { problems.append("step \(step): \(files.count) training event files") }
        let tags = scalarTags(files)
        if tags[Int64(step)] != trainingTags {
          problems.append("step \(step): tags \(tags[Int64(step)]?.sorted() ?? [])")
        }
        if let later = tags.keys.first(where: { $0 > Int64(step) }) { problems.append("step \(step): a later step \(later)") }
        if !FileManager.default.fileExists(atPath: dir + "/pipeline.config") { problems.append("no pipeline.config at \(step)") }
      case .evaluation(let name, let step):
        seenEvaluations.append(step)
        let files = try eventFiles(dir + "/eval_" + name)
        let tags = scalarTags(files)[Int64(step)] ?? []
        let missing = evaluationTags.subtracting(tags)
        if !missing.isEmpty { problems.append("evaluation \(step): missing \(missing.sorted())") }
        if !tags.contains(where: { $0.hasPrefix("DetectionBoxes_PerformanceByCategory/mAP/") }) {
          problems.append("evaluation \(step): no per-category AP")
        }
        let images = files.flatMap(\.images).filter { $0.step == Int64(step) }
        if images.map(\.tag) != (0..<3).map(EventTags.detectionImage) {
          problems.append("evaluation \(step): images \(images.map(\.tag))")
        }
        // The live report (what ssd train rewrites here) shows this evaluation's pictures.
        let report = try RunReport.make(modelDir: dir, output: dir + "/report-\(step).html")
        let page = try String(contentsOfFile: report.path, encoding: .utf8)
        if page.components(separatedBy: "data:image/jpeg;base64,").count - 1 < 3 {
          problems.append("evaluation \(step): the report has no gallery")
        }
      case .checkpoint:
        break
      }
    } catch {
      problems.append("\(milestone): \(error)")
    }
  }
  try coordinator.run()
  #expect(seenSteps == [1, 2, 3, 4])
  #expect(seenEvaluations == [2, 4])
  #expect(problems.isEmpty, "\(problems)")

  // The finished training file: version, START at step 1, scalars at 1…4, CHECKPOINT markers.
  let training = try eventFiles(dir)
  try #require(training.count == 1)
  let t = training[0]
  #expect(t.fileVersion == "brain.Event:2")
  #expect(t.incompleteTailBytes == 0)
  #expect(URL(fileURLWithPath: t.path).lastPathComponent.hasPrefix("events.out.tfevents."))
  #expect(t.events[1].content == .sessionLog(SessionLog(status: .start)) && t.events[1].step == 1)
  let checkpoints = t.events.compactMap { e -> Int64? in
    if case .sessionLog(let log) = e.content, log.status == .checkpoint, log.checkpointPath.hasSuffix("model.ckpt-\(e.step)") {
      return e.step
    }
    return nil
  }
  #expect(checkpoints == [2, 4])
  let tags = scalarTags(training)
  #expect(tags.keys.sorted() == [1, 2, 3, 4])
  for (_, t) in tags { #expect(t == trainingTags) }
  // `loss` is the total loss; the loss parts add up to it.
  for step in Int64(1)...4 {
    let v = Dictionary(t.scalars.filter { $0.step == step }.map { ($0.tag, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(v["loss"] == v["Loss/total_loss"])
    let parts = v["Loss/classification_loss"]! + v["Loss/localization_loss"]! + v["Loss/regularization_loss"]!
    #expect(abs(parts - v["Loss/total_loss"]!) <= 1e-4 * max(1, abs(parts)))
    #expect(v["global_step/sec"]! > 0 && v["perf/images_per_sec"]! > 0)
  }

  // The evaluation file: both evaluations, metrics equal to the metrics JSON, JPEG pictures
  // twice as wide as the image (detections left, ground truth right).
  let evaluation = try eventFiles(dir + "/eval_validation_data")
  try #require(evaluation.count == 1)
  #expect(Set(evaluation[0].scalars.map(\.step)) == [2, 4])
  let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/eval_validation_data/metrics-4.json")))
  let metrics = try #require((json as? [String: Any])?["metrics"] as? [String: Double])
  let mAP = try #require(evaluation[0].scalars.first { $0.step == 4 && $0.tag == "DetectionBoxes_Precision/mAP" })
  #expect(mAP.value == Float(try #require(metrics["DetectionBoxes_Precision/mAP"])))
  for image in evaluation[0].images {
    #expect(image.image.mimeType == "image/jpeg")
    #expect(image.image.colorspace == 3 && image.image.width > image.image.height)
  }

  // pipeline.config: the config as used (num_steps, the eval reader's sample_1_of_n from the
  // flag), reading back to the same typed values.
  let saved = try PipelineConfig.load(path: dir + "/pipeline.config")
  #expect(saved.trainConfig.numSteps == 4)
  #expect(saved.evalInputReaders[0].sample1OfNExamples == 8)
  #expect(saved.evalInputReaders[0].numEpochs == 1)
  #expect(saved.model == plan.config.model)
  // A relative path is made absolute against the working directory (the config names the
  // fine_tune_checkpoint relative to it).
  var trainConfig = plan.config.trainConfig
  #expect(!trainConfig.fineTuneCheckpoint.hasPrefix("/"))
  trainConfig.fineTuneCheckpoint = FileManager.default.currentDirectoryPath + "/" + trainConfig.fineTuneCheckpoint
  #expect(saved.trainConfig == trainConfig)
  #expect(saved.evalConfig == plan.config.evalConfig)
  #expect(saved.evalInputReaders == plan.config.evalInputReaders)
  #expect(saved.trainInputReader == plan.config.trainInputReader)
}

/// A resumed run adds a second training event file: START at the first step it trains, then
/// the steps after the checkpoint, so the files read together give one curve 1…4 with no
/// step twice. Eval-only mode (--run_once) writes its evaluation events the same way.
@Test func resumedRunAppendsAnEventFile() throws {
  let config = try TestRuns.config()
  let dir = try Fixtures.temporaryDirectory("events-resume")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try TestRuns.singleProcess(plan: TestRuns.plan(modelDir: dir, config: config,
                                                 flags: ["num_train_steps=2", "sample_1_of_n_eval_examples=16"]),
                             modelDir: dir, options: TestRuns.options()).run()
  try TestRuns.singleProcess(plan: TestRuns.plan(modelDir: dir, config: config, flags: ["sample_1_of_n_eval_examples=16"]),
                             modelDir: dir, options: TestRuns.options()).run()
  let files = try eventFiles(dir)
  try #require(files.count == 2)
  #expect(Set(files[0].scalars.map(\.step)) == [1, 2])
  #expect(Set(files[1].scalars.map(\.step)) == [3, 4])
  #expect(files[1].events[1].content == .sessionLog(SessionLog(status: .start)) && files[1].events[1].step == 3)
  #expect(Set(files.flatMap(\.scalars).filter { $0.tag == "loss" }.map(\.step)) == [1, 2, 3, 4])
  // Two evaluations (steps 2 and 4), one file per run.
  let evaluations = try eventFiles(dir + "/eval_validation_data")
  #expect(evaluations.count == 2)
  #expect(evaluations.map { Set($0.scalars.map(\.step)) } == [[2], [4]])

  // Eval-only into another model_dir: its eval_validation_data events at the checkpoint's step.
  let out = try Fixtures.temporaryDirectory("events-evalonly")
  defer { try? FileManager.default.removeItem(atPath: out) }
  try TestRuns.singleProcess(plan: TestRuns.plan(modelDir: out, config: config, flags: ["checkpoint_dir=\(dir)", "run_once=true",
                                                                                        "sample_1_of_n_eval_examples=16"]),
                             modelDir: out, options: TestRuns.options()).run()
  #expect(try eventFiles(out).isEmpty)  // no training, no training file
  let evalOnly = try eventFiles(out + "/eval_validation_data")
  try #require(evalOnly.count == 1)
  #expect(Set(evalOnly[0].scalars.map(\.step)) == [4])
  #expect(Set(evalOnly[0].scalars.map(\.tag)).isSuperset(of: evaluationTags))
  #expect(evalOnly[0].images.count == 2)  // 32 val images, every 16th: 2 < num_visualizations (10)
  #expect(!FileManager.default.fileExists(atPath: out + "/pipeline.config"))  // only training writes it
}
