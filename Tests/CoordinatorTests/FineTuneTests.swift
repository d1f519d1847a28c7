import Checkpoint
import Config
import Foundation
import Testing
@testable import Coordinator
@testable import Worker
import TestSupport

/// A classification checkpoint (names without `FeatureExtractor/`, TF-slim style) restores
/// the matching backbone variables with identical shapes only, leaves the rest at their
/// initializers, and is ignored once model_dir has its own checkpoint (spec §10.5).
@Test func fineTuneRestoresBackboneOnlyWhenModelDirIsEmpty() throws {
  let dir = try Fixtures.temporaryDirectory("finetune")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let conv1 = "FeatureExtractor/resnet_v1_50/conv1/weights"
  let gamma = "FeatureExtractor/resnet_v1_50/conv1/BatchNorm/gamma"
  let mean = "FeatureExtractor/resnet_v1_50/conv1/BatchNorm/moving_mean"
  let shortcut = "FeatureExtractor/resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/weights"
  // Shapes of the test model (widths ×1/8): conv1 [7,7,3,8], BN [8], shortcut [1,1,8,32].
  let ckpt = dir + "/imagenet/model.ckpt"
  try FileManager.default.createDirectory(atPath: dir + "/imagenet", withIntermediateDirectories: true)
  let conv1Values = (0..<(7 * 7 * 3 * 8)).map { Float($0) / 1024 }
  try BundleWriter.write(prefix: ckpt, tensors: [
    .float32("resnet_v1_50/conv1/weights", shape: [7, 7, 3, 8], conv1Values),
    .float32("resnet_v1_50/conv1/BatchNorm/gamma", shape: [8], [Float](repeating: 2, count: 8)),
    .float32("resnet_v1_50/conv1/BatchNorm/moving_mean", shape: [8], [Float](repeating: 0.5, count: 8)),
    .float32("resnet_v1_50/block1/unit_1/bottleneck_v1/shortcut/weights", shape: [1, 1, 8, 99],
             [Float](repeating: 1, count: 8 * 99)),  // wrong shape: not restored
    .float32("resnet_v1_50/logits/biases", shape: [1000], [Float](repeating: 0, count: 1000)),
    .int64("global_step", shape: [], [123]),
  ])
  let config = try TestRuns.config(extra: ["train_config.fine_tune_checkpoint='\(ckpt)'"])
  var flags = ModelMainFlags()  // load_pretrained defaults to true
  flags.modelDir = dir + "/run"
  flags.pipelineConfigPath = config.file
  let f = try ModelMainPlan(flags: flags, config: config)
  #expect(f.restoresFineTuneCheckpoint)
  let run = try TestRuns.singleProcess(plan: f, modelDir: dir + "/run", options: TestRuns.options())
  let p = try run.backend.currentParameters()
  let shortcutBefore = p.read(p.variable(named: shortcut)!.param)
  try run.initializeForTraining()
  #expect(run.globalStep == 0)  // global_step is never restored from a fine-tune checkpoint
  #expect(p.read(p.variable(named: conv1)!.param) == conv1Values)
  #expect(p.read(p.variable(named: gamma)!.param) == [Float](repeating: 2, count: 8))
  #expect(p.read(p.variable(named: mean)!.param) == [Float](repeating: 0.5, count: 8))
  #expect(p.read(p.variable(named: shortcut)!.param) == shortcutBefore)

  // With a checkpoint in model_dir, that one wins.
  try run.saveCheckpoint(reporter: nil)
  let again = try TestRuns.singleProcess(plan: f, modelDir: dir + "/run", options: TestRuns.options())
  let q = try again.backend.currentParameters()
  q.write(q.variable(named: gamma)!.param, [Float](repeating: 7, count: 8))
  try again.initializeForTraining()
  #expect(q.read(q.variable(named: gamma)!.param) == [Float](repeating: 2, count: 8))  // from model.ckpt-0
}
