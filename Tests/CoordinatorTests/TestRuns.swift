import Config
import Foundation
@testable import Coordinator
import TestSupport

/// Tiny runs of the shipped small config on the fixture TFRecords (64 train, 32 val images):
/// 64x64 input, widths x1/8, 1 tower layer, batch 2.
enum TestRuns {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func config(extra: [String] = []) throws -> PipelineConfig {
    let base = try PipelineConfig.load(path: packageRoot + "/configs/ssd_small_synth.config")
    let f = Fixtures.root
    return try base.applyingOverrides([
      "model.ssd.image_resizer.fixed_shape_resizer.height=64",
      "model.ssd.image_resizer.fixed_shape_resizer.width=64",
      "model.ssd.feature_extractor.depth_multiplier=0.125",
      "model.ssd.box_predictor.weight_shared_convolutional_box_predictor.num_layers_before_predictor=1",
      "train_config.batch_size=2",
      "train_config.num_steps=4",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps=8",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.warmup_steps=2",
      "train_input_reader.tf_record_input_reader.input_path=['\(f)/tfrecord/synth_train.record-*']",
      "train_input_reader.label_map_path='\(f)/mscoco_label_map.pbtxt'",
      "eval_input_reader[0].tf_record_input_reader.input_path=['\(f)/tfrecord/synth_val.record-*']",
      "eval_input_reader[0].label_map_path='\(f)/mscoco_label_map.pbtxt'",
    ] + extra)
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
