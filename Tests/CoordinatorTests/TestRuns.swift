import Config
import Foundation
@testable import Coordinator
import Worker
import TestSupport

/// Tiny runs of the shipped small config on the fixture TFRecords (64 train, 32 val images):
/// 64x64 input, widths x1/8, 1 tower layer, batch 2.
enum TestRuns {
  static func config(extra: [String] = []) throws -> PipelineConfig {
    try TinyModel.config(batch: 2, [
      "train_config.num_steps=4",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps=8",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.warmup_steps=2",
    ] + extra)
  }

  /// The single-process run of `plan` (what `ssd train` wires): one `TrainingWorker` as the
  /// coordinator's backend.
  static func singleProcess(plan: ModelMainPlan, modelDir: String, options: TrainingOptions) throws -> TrainingCoordinator {
    TrainingCoordinator(plan: plan, modelDir: modelDir, options: options,
                        backend: try TrainingWorker(plan: plan, seed: options.seed, inputThreads: options.inputThreads,
                                                    skipBadRecords: options.skipBadRecords))
  }

  /// A plan with model_main.py flag values (`flags` as `name=value`).
  static func plan(modelDir: String, config: PipelineConfig, flags: [String] = []) throws -> ModelMainPlan {
    var f = ModelMainFlags()
    f.modelDir = modelDir
    f.pipelineConfigPath = config.file
    f.hparamsOverrides = "load_pretrained=false"
    f.sample1OfNEvalExamples = 8
    for kv in flags {
      let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
      try f.set(parts[0], to: parts[1])
    }
    return try ModelMainPlan(flags: f, config: config)
  }

  static func options(seed: UInt64 = 3, raport: String? = nil) -> TrainingOptions {
    var o = TrainingOptions()
    o.seed = seed
    o.logEveryNSteps = 1
    o.inputThreads = 2
    o.evalBatchSize = 4
    o.raportFile = raport
    return o
  }
}
