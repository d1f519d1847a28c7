import Checkpoint
import Config
import Data
import Model
import Foundation
import Testing
@testable import Coordinator
import Recipe
@testable import Worker
import TestSupport
import Wire

/// Reads every tensor of the newest checkpoint in `dir` as raw bytes, by name.
private func checkpointTensors(_ dir: String) throws -> (String, [String: [UInt8]]) {
  let latest = try #require(try CheckpointState.latestCheckpoint(directory: dir))
  let reader = try CheckpointReader(path: latest)
  var out: [String: [UInt8]] = [:]
  for v in reader.variables { out[v.name] = try reader.readBytes(v.name) }
  return (latest, out)
}

/// k steps, stop, resume, k more == 2k uninterrupted, bit for bit: weights, BN moving
/// statistics, momentum slots and global_step of the final checkpoints are identical.
@Test func resumeContinuesBitForBit() throws {
  let config = try TestRuns.config()
  let a = try Fixtures.temporaryDirectory("resume-a"), b = try Fixtures.temporaryDirectory("resume-b")
  defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
  // Uninterrupted: 4 steps.
  try TestRuns.singleProcess(plan: TestRuns.plan(modelDir: a, config: config, flags: ["sample_1_of_n_eval_examples=32"]),
                                        modelDir: a, options: TestRuns.options()).run()
  // Interrupted: 2 steps (a separate process would see only model_dir), then 4.
  try TestRuns.singleProcess(plan: TestRuns.plan(modelDir: b, config: config,
                                                            flags: ["num_train_steps=2", "sample_1_of_n_eval_examples=32"]),
                                        modelDir: b, options: TestRuns.options()).run()
  let built = try TestRuns.singleProcess(
    plan: TestRuns.plan(modelDir: b, config: config, flags: ["sample_1_of_n_eval_examples=32"]),
    modelDir: b, options: TestRuns.options())
  let counting = CountingBackend(built.backend)
  let resumed = TrainingCoordinator(plan: built.plan, modelDir: b, options: built.options, backend: counting)
  try resumed.run()
  #expect(resumed.globalStep == 4)
  #expect(counting.steps == [2, 3])  // it really resumed (a fresh start would also end at step 4)
  let (pa, ta) = try checkpointTensors(a)
  let (pb, tb) = try checkpointTensors(b)
  #expect(pa.hasSuffix("model.ckpt-4") && pb.hasSuffix("model.ckpt-4"))
  #expect(Set(ta.keys) == Set(tb.keys))
  let differing = ta.keys.filter { ta[$0] != tb[$0] }.sorted()
  #expect(differing.isEmpty, "tensors differing after resume: \(differing.prefix(5))")
  // The comparison is not vacuous: training moved the weights and momentum away from zero.
  #expect(ta.keys.contains { $0.hasSuffix("/Momentum") })
  let m = try #require(ta.keys.first { $0.hasSuffix("ClassPredictor/weights/Momentum") })
  #expect(ta[m]!.contains { $0 != 0 })
}

/// Resuming with another seed would silently change the data order: refused.
@Test func resumeWithOtherSeedIsRefused() throws {
  let config = try TestRuns.config()
  let dir = try Fixtures.temporaryDirectory("seed")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let plan = try TestRuns.plan(modelDir: dir, config: config, flags: ["num_train_steps=1", "sample_1_of_n_eval_examples=32"])
  try TestRuns.singleProcess(plan: plan, modelDir: dir, options: TestRuns.options(seed: 1)).run()
  #expect(throws: CoordinatorError.self) {
    try TestRuns.singleProcess(plan: plan, modelDir: dir, options: TestRuns.options(seed: 2)).run()
  }
}

/// Train 4 steps with eval_count 2, evaluate twice, then eval-only --run_once; check every
/// file model_main.py's run leaves (in our formats).
@Test func endToEndTrainEvaluateAndFiles() throws {
  let config = try TestRuns.config()
  let dir = try Fixtures.temporaryDirectory("e2e")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let raport = dir + "/summary.json"
  let plan = try TestRuns.plan(modelDir: dir, config: config, flags: ["eval_count=2"])
  let metrics = try #require(try TestRuns.singleProcess(plan: plan, modelDir: dir,
                                                                   options: TestRuns.options(raport: raport)).run())
  #expect(metrics.stats.count == 12)
  #expect(metrics.imageCount == 4)  // 32 val images, every 8th

  // Checkpoints (eval_count 2 ⇒ every 2 steps): TF file names, readable by our reader.
  let files = try FileManager.default.contentsOfDirectory(atPath: dir)
  for s in [2, 4] {
    #expect(files.contains("model.ckpt-\(s).index"))
    #expect(files.contains("model.ckpt-\(s).data-00000-of-00001"))
  }
  let state = try #require(try CheckpointState.read(directory: dir))
  #expect(state.modelCheckpointPath == "model.ckpt-4")
  let reader = try CheckpointReader(path: dir + "/model.ckpt-4")
  #expect(reader.globalStep == 4)
  let conv1 = "FeatureExtractor/resnet_v1_50/conv1/weights"
  #expect(reader.variable(named: conv1)?.shape == [7, 7, 3, 8])
  #expect(reader.variable(named: conv1 + "/Momentum") != nil)
  #expect(reader.variable(named: "FeatureExtractor/resnet_v1_50/conv1/BatchNorm/moving_mean") != nil)
  #expect(reader.variable(named: "FeatureExtractor/resnet_v1_50/conv1/BatchNorm/moving_mean/Momentum") == nil)
  #expect(try reader.readInt64(RunCheckpoint.seedName, shape: []) == [3])

  // Evaluation files after each phase.
  let evalDir = dir + "/eval_validation_data"
  for s in [2, 4] {
    let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(evalDir)/metrics-\(s).json")))
    let metricsDict = try #require((m as? [String: Any])?["metrics"] as? [String: Any])
    #expect(metricsDict["DetectionBoxes_Precision/mAP"] is Double)
    #expect((m as? [String: Any])?["global_step"] as? Int == s)
    let losses = try #require((m as? [String: Any])?["losses"] as? [String: Double])
    #expect(Set(losses.keys) == ["Loss/localization_loss", "Loss/classification_loss", "Loss/regularization_loss",
                                 "Loss/total_loss"])
    #expect(abs(losses["Loss/total_loss"]! - losses["Loss/localization_loss"]! - losses["Loss/classification_loss"]!
                - losses["Loss/regularization_loss"]!) < 1e-5)
    let d = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(evalDir)/detections-\(s).json")))
    let dets = try #require(d as? [[String: Any]])
    #expect(!dets.isEmpty && dets.count <= 400)
    #expect(Set(dets[0].keys) == ["image_id", "category_id", "bbox", "score"])
  }

  // DLLogger report: 2 METADATA lines, then per phase a loss line per step (log every
  // step here), a throughput line and a metrics line.
  let lines = try String(contentsOfFile: raport, encoding: .utf8).split(separator: "\n")
  #expect(lines.count == 2 + 2 * (2 + 2))
  #expect(lines.allSatisfy { $0.hasPrefix("DLLL {") })
  let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.dropFirst(5).utf8)) as! [String: Any] }
  #expect(objects[0]["type"] as? String == "METADATA" && objects[0]["metric"] as? String == "infer_throughput")
  #expect(objects[1]["metric"] as? String == "train_throughput")
  #expect(objects[2]["step"] as? [Int] == [1])
  #expect((objects[3]["data"] as? [String: Any])?["total_loss"] is Double)
  #expect(objects[4]["step"] as? [Int] == [])
  #expect((objects[4]["data"] as? [String: Any])?["train_throughput"] is Double)
  #expect((objects[5]["data"] as? [String: Any])?["Precision/mAP"] is Double)
  #expect(objects[9]["step"] as? [Int] == [])
  #expect((objects[9]["data"] as? [String: Any])?.count == 12)

  // Eval-only, --run_once on the same checkpoint directory: same metrics.
  let evalDirOut = try Fixtures.temporaryDirectory("e2e-eval")
  defer { try? FileManager.default.removeItem(atPath: evalDirOut) }
  let evalPlan = try TestRuns.plan(modelDir: evalDirOut, config: config, flags: ["checkpoint_dir=\(dir)", "run_once=true"])
  let again = try #require(try TestRuns.singleProcess(plan: evalPlan, modelDir: evalDirOut,
                                                                 options: TestRuns.options()).run())
  #expect(again.stats == metrics.stats)
  #expect(FileManager.default.fileExists(atPath: evalDirOut + "/eval_validation_data/metrics-4.json"))

  // Continuous eval-only: evaluates the newest checkpoint and stops because its step (4)
  // reached num_steps; --eval_training_data evaluates the training records.
  let contDir = try Fixtures.temporaryDirectory("e2e-cont")
  defer { try? FileManager.default.removeItem(atPath: contDir) }
  let contPlan = try TestRuns.plan(modelDir: contDir, config: config,
                                   flags: ["checkpoint_dir=\(dir)", "eval_training_data=true",
                                           "sample_1_of_n_eval_on_train_examples=16"])
  var contOptions = TestRuns.options()
  contOptions.evalPollSeconds = 0
  let onTrain = try #require(try TestRuns.singleProcess(plan: contPlan, modelDir: contDir,
                                                                   options: contOptions).run())
  #expect(onTrain.imageCount == 4)  // 64 training images, every 16th
  #expect(FileManager.default.fileExists(atPath: contDir + "/eval_training_data/metrics-4.json"))
}

/// Passes everything through, recording the steps trained.
final class CountingBackend: TrainingBackend {
  let inner: TrainingBackend
  var steps: [Int] = []
  init(_ inner: TrainingBackend) { self.inner = inner }
  var trainExamples: Int { inner.trainExamples }
  var globalBatchSize: Int { inner.globalBatchSize }
  func currentParameters() throws -> ParameterStore { try inner.currentParameters() }
  func updateParameters(_ body: (ParameterStore) throws -> Void) throws { try inner.updateParameters(body) }
  func trainStep(globalStep: Int) throws -> StepStats {
    steps.append(globalStep)
    return try inner.trainStep(globalStep: globalStep)
  }
  func endTrainingPhase() { inner.endTrainingPhase() }
  func fullMomentum() throws -> [Float] { try inner.fullMomentum() }
  func setFullMomentum(_ values: [Float]) throws { try inner.setFullMomentum(values) }
  func evaluate(source: any SampleSource, indices: [Int], batchSize: Int) throws -> [EvaluatedImage] {
    try inner.evaluate(source: source, indices: indices, batchSize: batchSize)
  }
}
