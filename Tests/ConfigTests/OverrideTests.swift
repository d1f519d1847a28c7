import Testing
@testable import Config
import TestSupport

/// `path=value` field overrides (`PipelineConfig.applyingOverrides`).
struct OverrideTests {
  func seed() throws -> PipelineConfig {
    try PipelineConfig.load(path: Fixtures.config("ssd320_full_8gpus.config"))
  }

  @Test func overridesReplaceValues() throws {
    let config = try seed().applyingOverrides([
      "train_config.batch_size=8",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps=100",
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.warmup_steps=10",
      "train_input_reader.tf_record_input_reader.input_path=['/tmp/a*', \"/tmp/b*\"]",
      "model.ssd.image_resizer={ fixed_shape_resizer { height: 64 width: 96 } }",
      "train_config.data_augmentation_options[1].random_crop_image.min_area=0.5",
      "eval_input_reader[0].shuffle=true",
      "model.ssd.anchor_generator.multiscale_anchor_generator.aspect_ratios=[1.0]",
      "model.ssd.post_processing.score_converter=IDENTITY",
      "eval_config.metrics_set='coco_detection_metrics'",
    ])
    #expect(config.trainConfig.batchSize == 8)
    #expect(config.trainConfig.optimizer.learningRate.cosineDecay == .init(
      learningRateBase: 0.16, totalSteps: 100, warmupLearningRate: 0.0693312, warmupSteps: 10, holdBaseRateSteps: 0))
    #expect(config.trainInputReader.inputPaths == ["/tmp/a*", "/tmp/b*"])
    #expect(config.model.ssd.imageResizer == .fixedShape(height: 64, width: 96, method: .bilinear, convertToGrayscale: false))
    #expect(config.trainConfig.dataAugmentationOptions[1] == .randomCropImage(.init(
      minObjectCovered: 0, minAspectRatio: 0.75, maxAspectRatio: 3, minArea: 0.5, maxArea: 1, overlapThresh: 0,
      clipBoxes: true, randomCoef: 0)))
    #expect(config.evalInputReader?.shuffle == true)
    #expect(config.model.ssd.anchorGenerator.aspectRatios == [1])
    #expect(config.model.ssd.postProcessing.scoreConverter == .identity)
    #expect(config.evalConfig.metricsSet == ["coco_detection_metrics"])
    // Untouched values stay.
    #expect(config.trainConfig.numSteps == 12_500 && config.model.ssd.numClasses == 90)
    #expect(config.warnings.isEmpty)
  }

  @Test func overridesCreateAbsentMessagesAndSwitchOneofs() throws {
    let config = try seed().applyingOverrides([
      "model.ssd.loss.hard_example_miner.num_hard_examples=3",
      "model.ssd.image_resizer.keep_aspect_ratio_resizer={}",
    ])
    #expect(config.model.ssd.loss.hardExampleMiner?.numHardExamples == 3)
    #expect(config.model.ssd.imageResizer == .keepAspectRatio(minDimension: 600, maxDimension: 1024, method: .bilinear,
                                                               padToMaxDimension: false, convertToGrayscale: false,
                                                               perChannelPadValue: []))
    #expect(config.warnings.map(\.description) == [
      "override:2:25: warning: model.ssd.image_resizer.keep_aspect_ratio_resizer: 'keep_aspect_ratio_resizer' replaces 'fixed_shape_resizer' set earlier (both belong to oneof image_resizer_oneof; the last one wins); keep one"
    ])
  }

  func overrideErrors(_ overrides: [String]) throws -> [String] {
    do {
      _ = try seed().applyingOverrides(overrides, source: "--config_override")
      Issue.record("expected an error for \(overrides)")
      return []
    } catch let error as ConfigError {
      return error.diagnostics.map(\.description)
    }
  }

  @Test func overrideErrorsPointIntoTheOverride() throws {
    let found = try overrideErrors([
      "train_config.batch_sise=8",
      "train_config.batch_size=eight",
      "eval_input_reader[3].shuffle=true",
      "train_input_reader.tf_record_input_reader.input_path[0]='x'",
      "train_config.batch_size.x=1",
      "batch_size",
      "train_config.data_augmentation_options.random_crop_image.min_area=1",
      "train_config.batch_size=8 9",
      "train_config.fine_tune_checkpoint='unterminated",
    ])
    #expect(found == [
      "--config_override:1:14: error: train_config.batch_sise: unknown field 'batch_sise' in message TrainConfig; did you mean 'batch_size'?",
      "--config_override:2:25: error: train_config.batch_size: expected an integer (uint32), found identifier 'eight'",
      "--config_override:3:1: error: eval_input_reader: index 3 is out of range: the config has 1 element(s)",
      "--config_override:4:43: error: train_input_reader.tf_record_input_reader.input_path: give the whole repeated field (input_path=[...]) instead of one element",
      "--config_override:5:14: error: train_config.batch_size: expected a message field before '.', found uint32 field",
      "--config_override:6:1: error: expected path=value, e.g. train_config.batch_size=8",
      "--config_override:7:14: error: train_config.data_augmentation_options: 'data_augmentation_options' is repeated; pick an element, e.g. data_augmentation_options[0]",
      "--config_override:8:27: error: train_config.batch_size: expected one value after '='; quote strings that contain spaces",
      "--config_override:9:35: error: train_config.fine_tune_checkpoint: unterminated string literal; close it on the same line",
    ])
  }

  @Test func mappingErrorsAfterOverridesPointAtTheOverride() throws {
    #expect(try overrideErrors([
      "train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps=10"
    ]) == [
      "--config_override:1:84: error: train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps: total_steps (10) must be at least warmup_steps (1000)"
    ])
  }
}
