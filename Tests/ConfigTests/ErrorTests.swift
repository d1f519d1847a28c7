import Testing
@testable import Config
import TestSupport

/// Every error kind, with the exact `file:line:column: error: <path>: <what>` line.
struct ErrorTests {
  /// The diagnostics of a text that must fail to load as a pipeline config.
  func errors(_ text: String, file: String = "p.config") -> [String] {
    do {
      _ = try PipelineConfig.parse(text, file: file)
      Issue.record("expected an error for: \(text)")
      return []
    } catch let error as ConfigError {
      return error.diagnostics.map(\.description)
    } catch {
      Issue.record("unexpected error type \(error)")
      return []
    }
  }

  /// Schema-level diagnostics only (no trainer requirements).
  func schemaErrors(_ text: String) -> [String] {
    do {
      _ = try PipelineConfig.parseMessage(text, file: "p.config", schema: .objectDetection)
      Issue.record("expected an error for: \(text)")
      return []
    } catch let error as ConfigError {
      return error.diagnostics.map(\.description)
    } catch {
      Issue.record("unexpected error type \(error)")
      return []
    }
  }

  @Test func unknownFieldWithSuggestion() {
    let text = """
      train_config {
        optimizer { momentum_optimizer { learning_rate { cosine_decay_learning_rate {
          warmup_stepz: 10
        } } } }
        btch_size: 3
        completely_unrelated: 1
      }
      """
    #expect(schemaErrors(text) == [
      "p.config:3:5: error: train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.warmup_stepz: unknown field 'warmup_stepz' in message CosineDecayLearningRate; did you mean 'warmup_steps'?",
      "p.config:5:3: error: train_config.btch_size: unknown field 'btch_size' in message TrainConfig; did you mean 'batch_size'?",
      "p.config:6:3: error: train_config.completely_unrelated: unknown field 'completely_unrelated' in message TrainConfig",
    ])
  }

  @Test func unknownTopLevelFieldAndOneofMember() {
    #expect(schemaErrors("train_config {}\ntrain_input_config { }\nmodel { ssd { image_resizer { fixed_shape_resizr {} } } }") == [
      "p.config:2:1: error: train_input_config: unknown field 'train_input_config' in message TrainEvalPipelineConfig",
      "p.config:3:31: error: model.ssd.image_resizer.fixed_shape_resizr: unknown field 'fixed_shape_resizr' in message ImageResizer; did you mean 'fixed_shape_resizer'?",
    ])
  }

  @Test func wrongTypes() {
    let text = """
      train_config { batch_size: 1.5 fine_tune_checkpoint: model.ckpt }
      model { ssd { num_classes: "90" feature_extractor { type: 'x' depth_multiplier: "1" } } }
      eval_config { use_moving_averages: yes metrics_set { } }
      train_input_reader: 3
      """
    #expect(schemaErrors(text) == [
      "p.config:1:28: error: train_config.batch_size: expected an integer (uint32), found number 1.5",
      "p.config:1:54: error: train_config.fine_tune_checkpoint: expected a quoted string, found identifier 'model.ckpt'",
      "p.config:2:28: error: model.ssd.num_classes: expected an integer (int32), found string \"90\"",
      "p.config:2:81: error: model.ssd.feature_extractor.depth_multiplier: expected a number (float), found string \"1\"",
      "p.config:3:36: error: eval_config.use_moving_averages: expected bool (true or false), found identifier 'yes'",
      "p.config:3:52: error: eval_config.metrics_set[0]: expected string, found a message block",
      "p.config:4:21: error: train_input_reader: expected a message block '{ ... }' (InputReader), found number 3",
    ])
  }

  @Test func unquotedPathIsOneIdentifier() {
    #expect(schemaErrors("train_config { fine_tune_checkpoint: /ckpt/model.ckpt }") == [
      "p.config:1:38: error: unexpected character '/'"
    ])
  }

  @Test func enumValues() {
    let text = """
      model { ssd { feature_extractor { conv_hyperparams { activation: relu_6 } }
        post_processing { score_converter: SIGMOD }
        box_predictor { weight_shared_convolutional_box_predictor { conv_hyperparams { activation: 7 } } } } }
      eval_input_reader { mask_type: "PNG_MASKS" }
      """
    #expect(schemaErrors(text) == [
      "p.config:1:66: error: model.ssd.feature_extractor.conv_hyperparams.activation: 'relu_6' is not a value of enum Hyperparams.Activation; did you mean 'RELU_6'?",
      "p.config:2:38: error: model.ssd.post_processing.score_converter: 'SIGMOD' is not a value of enum PostProcessing.ScoreConverter; did you mean 'SIGMOID'?",
      "p.config:3:94: error: model.ssd.box_predictor.weight_shared_convolutional_box_predictor.conv_hyperparams.activation: '7' is not a value of enum Hyperparams.Activation (allowed: NONE, RELU, RELU_6)",
      "p.config:4:32: error: eval_input_reader[0].mask_type: expected an enum value name of InstanceMaskType (unquoted), found string \"PNG_MASKS\"",
    ])
  }

  @Test func rangesAndRepetition() {
    let text = """
      train_config { batch_size: -1 num_steps: 4294967296 }
      model { ssd { num_classes: 2147483648 } }
      train_config { batch_size: [1, 2] }
      """
    #expect(schemaErrors(text) == [
      "p.config:1:28: error: train_config.batch_size: -1 is out of range for uint32",
      "p.config:1:42: error: train_config.num_steps: 4294967296 is out of range for uint32",
      "p.config:2:28: error: model.ssd.num_classes: 2147483648 is out of range for int32",
      "p.config:3:28: error: train_config.batch_size: field is not repeated; give it a single value",
    ])
  }

  @Test func syntaxErrors() {
    #expect(schemaErrors("train_config { batch_size 8 }") == [
      "p.config:1:27: error: train_config.batch_size: expected ':' between 'batch_size' and its value"
    ])
    #expect(schemaErrors("model {\n  ssd {\n    num_classes: 90\n  }\n") == [
      "p.config:5:1: error: model: missing '}' to close the block opened at 1:7"
    ])
    #expect(schemaErrors("train_config { batch_size: 8,, }") == [
      "p.config:1:30: error: train_config: expected a field name or '}', found ','"
    ])
    #expect(schemaErrors("eval_config { metrics_set: ['a',] }") == [
      "p.config:1:33: error: eval_config.metrics_set: expected a value after ',', found ']'"
    ])
    #expect(schemaErrors("eval_config { metrics_set: 'abc\n' }") == [
      "p.config:1:28: error: unterminated string literal; close it on the same line"
    ])
    #expect(schemaErrors("eval_config { metrics_set: \"a\\qb\" }") == [
      "p.config:1:30: error: invalid escape '\\q' in string literal"
    ])
    #expect(schemaErrors("model { ssd { num_classes: 90 } } }") == [
      "p.config:1:35: error: expected a field name, found '}'"
    ])
    #expect(schemaErrors("eval_config { metrics_set: [['a']] }") == [
      "p.config:1:29: error: eval_config.metrics_set: lists cannot be nested"
    ])
    #expect(schemaErrors("eval_config { num_examples: 1 } @") == [
      "p.config:1:33: error: unexpected character '@'"
    ])
    #expect(schemaErrors("model < ssd { } }") == [
      "p.config:1:17: error: model: expected a field name or '>', found '}'"
    ])
  }

  @Test func columnsCountCharactersNotBytes() {
    // 'é' is two UTF-8 bytes but one column (byte counting would give 2:33).
    #expect(schemaErrors("# é\neval_config { metrics_set: 'é' bad: 1 }") == [
      "p.config:2:32: error: eval_config.bad: unknown field 'bad' in message EvalConfig"
    ])
  }

  @Test func oneofSecondMemberReplacesFirstWithWarning() throws {
    let text = "model { ssd { image_resizer { fixed_shape_resizer { } keep_aspect_ratio_resizer { } } } }"
    let (m, warnings) = try PipelineConfig.parseMessage(text, file: "p.config", schema: .objectDetection)
    let resizer = m.message("model").message("ssd").message("image_resizer")
    #expect(resizer.whichOneof("image_resizer_oneof")?.name == "keep_aspect_ratio_resizer")
    #expect(!resizer.has("fixed_shape_resizer"))
    #expect(warnings.map(\.description) == [
      "p.config:1:55: warning: model.ssd.image_resizer.keep_aspect_ratio_resizer: 'keep_aspect_ratio_resizer' replaces 'fixed_shape_resizer' set earlier (both belong to oneof image_resizer_oneof; the last one wins); keep one"
    ])
  }

  @Test func missingRequiredValues() {
    #expect(errors("eval_config { }") == [
      "p.config:1:1: error: model: missing; add `model { ssd { ... } }`",
      "p.config:1:1: error: train_config: missing; add `train_config { ... }`",
      "p.config:1:1: error: train_input_reader: missing; add `train_input_reader { tf_record_input_reader { input_path: ... } }`",
    ])
    let text = try! configData("variants.config")
      .replacingOccurrences(of: "num_classes: 0x5A;", with: "")
      .replacingOccurrences(of: "type: \"ssd_\" 'resnet50' \"_v1_fpn\"", with: "")
    // Reported at the enclosing block's '{' (ssd at 4:8, feature_extractor at 7:23).
    #expect(errors(text, file: "v.config") == [
      "v.config:4:8: error: model.ssd.num_classes: missing; give the number of object classes without background (90 for COCO)",
      "v.config:7:23: error: model.ssd.feature_extractor.type: missing or empty; name the feature extractor, e.g. type: 'ssd_resnet50_v1_fpn'",
    ])
  }

  @Test func missingOneofChoiceAndEmptyInputPaths() {
    let text = """
      model { ssd { num_classes: 1 image_resizer { } } }
      train_config { optimizer { momentum_optimizer { } } }
      train_input_reader { tf_record_input_reader { } }
      """
    let found = errors(text)
    #expect(found.contains(
      "p.config:1:44: error: model.ssd.image_resizer: no image_resizer_oneof is set (keep_aspect_ratio_resizer / fixed_shape_resizer); add one of: fixed_shape_resizer, keep_aspect_ratio_resizer"))
    #expect(found.contains(
      "p.config:2:47: error: train_config.optimizer.momentum_optimizer.learning_rate: missing; add `learning_rate { cosine_decay_learning_rate { ... } }`"))
    #expect(found.contains(
      "p.config:3:45: error: train_input_reader.tf_record_input_reader.input_path: no input_path; add input_path: \"/data/coco_train.record*\" (a TFRecord file or glob)"))
    #expect(found.contains(
      "p.config:1:13: error: model.ssd.feature_extractor: missing; add `feature_extractor { type: 'ssd_resnet50_v1_fpn' ... }`"))
  }

  @Test func unsupportedChoices() {
    let text = try! configData("variants.config")
      .replacingOccurrences(of: "argmax_matcher { matched_threshold: 0.5 unmatched_threshold: 0.4 force_match_for_each_row: 1 ignore_thresholds: f }",
                            with: "bipartite_matcher { }")
      .replacingOccurrences(of: "ssd: {", with: "faster_rcnn { } ssd: {")
    let found = errors(text, file: "v.config")
    #expect(found == [
      "v.config:20:15: error: model.ssd.matcher.bipartite_matcher: this trainer implements only argmax_matcher here"
    ])
    let rcnn = "model { faster_rcnn { num_classes: 3 } }\ntrain_config { }\ntrain_input_reader { tf_record_input_reader { input_path: 'x' } }"
    #expect(errors(rcnn).first ==
      "p.config:1:9: error: model.faster_rcnn: this trainer implements only ssd here")
  }

  @Test func invalidCosineSchedule() {
    let text = try! configData("variants.config")
      .replacingOccurrences(of: "total_steps: 100 warmup_learning_rate: 0.0693312", with: "total_steps: 5 warmup_learning_rate: 0.5")
    #expect(errors(text, file: "v.config") == [
      "v.config:59:94: error: train_config.optimizer.momentum_optimizer.learning_rate.cosine_decay_learning_rate.total_steps: total_steps (5) must be at least warmup_steps (10)"
    ])
  }

  @Test func valuesTheModelCannotUse() throws {
    let seed = try String(contentsOfFile: Fixtures.config("ssd320_full_8gpus.config"), encoding: .utf8)
    func errorsAfter(_ overrides: [String]) throws -> [String] {
      do {
        _ = try PipelineConfig.parse(seed, file: "s.config").applyingOverrides(overrides)
        Issue.record("expected an error for \(overrides)")
        return []
      } catch let error as ConfigError {
        return error.diagnostics.map(\.description)
      }
    }
    let found0 = try errorsAfter(["model.ssd.anchor_generator.multiscale_anchor_generator.max_level=6"])
    #expect(found0 == [
      "s.config:35:35: error: model.ssd.anchor_generator.multiscale_anchor_generator: anchor levels 3-6 differ from the FPN levels 3-7; they must match (one anchor grid per feature map)"
    ])
    let found1 = try errorsAfter(["model.ssd.anchor_generator.multiscale_anchor_generator.aspect_ratios=[]"])
    #expect(found1 == [
      "s.config:35:35: error: model.ssd.anchor_generator.multiscale_anchor_generator.aspect_ratios: no aspect_ratios; add e.g. aspect_ratios: [1.0, 2.0, 0.5]"
    ])
    let found2 = try errorsAfter(["model.ssd.anchor_generator.multiscale_anchor_generator.aspect_ratios=[1, -2]"])
    #expect(found2 == [
      "override:1:74: error: model.ssd.anchor_generator.multiscale_anchor_generator.aspect_ratios[1]: aspect ratios must be positive, got -2.0"
    ])
    let found3 = try errorsAfter(["train_config.batch_size=0", "model.ssd.image_resizer.fixed_shape_resizer.height=0"])
    #expect(found3 == [
      "override:2:45: error: model.ssd.image_resizer.fixed_shape_resizer.height: must be positive, got 0",
      "override:1:14: error: train_config.batch_size: must be positive, got 0",
    ])
  }

  @Test func unreadableFile() {
    do {
      _ = try PipelineConfig.load(path: "/nonexistent/pipeline.config")
      Issue.record("expected an error")
    } catch let error as ConfigError {
      #expect(error.description.hasPrefix("/nonexistent/pipeline.config:1:1: error: cannot read the file"))
    } catch {
      Issue.record("unexpected error type \(error)")
    }
  }

  /// Accept/reject decisions of protobuf 6.x `text_format.Merge` on edge cases (recorded
  /// by running it on each text; see `Tests/ConfigData/reference_dump.py` for the setup).
  @Test(arguments: [
    ("model { ssd {} faster_rcnn {} }", true),
    ("eval_config { metrics_set: [] }", true),
    ("model { ssd { num_classes: -2147483648 } }", true),
    ("train_config { optimizer: { momentum_optimizer: { learning_rate: { } } } }", true),
    ("train_config: < batch_size: 3 >", true),
    ("eval_config { min_score_threshold: 1e39 }", true),
    ("eval_config { min_score_threshold: .5e1 }", true),
    ("eval_config { min_score_threshold: 5. }", true),
    ("eval_config { min_score_threshold: +5 }", true),
    ("eval_config { batch_size: +5 }", true),
    ("eval_config { min_score_threshold: infinity }", true),
    ("eval_config { min_score_threshold: -nan }", true),
    ("eval_config { metrics_set: [\"a\" \"b\"] }", true),
    ("eval_config { } ;", true),
    ("train_config { data_augmentation_options: [ ] }", true),
    ("train_config { batch_size: 010 }", true),
    ("train_config { batch_size 8 }", false),
    ("train_config { batch_size: [1,2] }", false),
    ("train_config { batch_size: -1 }", false),
    ("train_config { batch_size: 1.0 }", false),
    ("model { ssd { num_classes: \"90\" } }", false),
    ("eval_input_reader { mask_type: PNG }", false),
    ("eval_config { metrics_set: ['a',] }", false),
    ("train_config { batch_size: 8,, }", false),
    ("eval_config { use_moving_averages: yes }", false),
    ("model { ssd { feature_extractor { conv_hyperparams { activation: 7 } } } }", false),
    ("train_config { batch_size { } }", false),
    ("eval_config { min_score_threshold: 1e }", false),
    ("eval_config { min_score_threshold: 0x10 }", false),
    ("eval_config { min_score_threshold: - 1 }", false),
    ("train_config { batch_size: 4294967296 }", false),
    ("model { ssd { num_classes: 2147483648 } }", false),
    ("eval_config { metrics_set: 'a\nb' }", false),
    ("eval_config { batch_size: 5f }", false),
    ("eval_config { metrics_set: a }", false),
    ("model { ssd { feature_extractor { conv_hyperparams { activation: relu_6 } } } }", false),
    ("train_config { batch_size: 09 }", false),
  ])
  func acceptsAndRejectsLikeProtobuf(text: String, accepted: Bool) {
    let ok = (try? PipelineConfig.parseMessage(text, file: "p", schema: .objectDetection)) != nil
    #expect(ok == accepted)
  }
}
