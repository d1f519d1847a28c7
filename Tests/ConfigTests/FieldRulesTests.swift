import Testing
@testable import Config
import TestSupport

/// Every field of the pipeline.config schema a config can reach is used, ignored with a
/// reason, or refused — exactly one of them — and `ssd config check` gives the verdict
/// `ssd train` gives (`TrainerVerdict`, thrown by `ModelMainPlan`).
struct FieldRulesTests {
  /// Walks the schema from `TrainEvalPipelineConfig` through every used message field (each
  /// member of each oneof, each repeated field), as `TrainerVerdict` walks a config.
  @Test func everyReachableFieldHasExactlyOneTreatment() throws {
    let schema = ProtoSchema.objectDetection
    var reachedKeys = Set<String>()
    var missing: [String] = []
    var counts: [FieldTreatment.Kind: Int] = [:]
    var visiting: [String] = []
    func walk(_ type: String, key: String) {
      precondition(!visiting.contains(type), "recursive schema at \(key)")
      visiting.append(type)
      defer { visiting.removeLast() }
      for field in schema.message(type).fields {
        let fieldKey = key.isEmpty ? field.name : key + "." + field.name
        let byPath = FieldRules.pathRules[fieldKey], byType = FieldRules.typeRules[type + "." + field.name]
        guard let treatment = byPath ?? byType else {
          missing.append("\(fieldKey) (\(type).\(field.name))")
          continue
        }
        reachedKeys.insert(byPath != nil ? "path:" + fieldKey : "type:" + type + "." + field.name)
        counts[treatment.kind, default: 0] += 1
        if case .used = treatment, case .message(let sub) = field.type { walk(sub, key: fieldKey) }
        if case .ignored(let reason) = treatment { #expect(!reason.isEmpty, "\(fieldKey): an ignored field needs a reason") }
        if case .refused(let reason) = treatment { #expect(!reason.isEmpty, "\(fieldKey): a refused field needs a reason") }
      }
    }
    walk(schema.root, key: "")
    #expect(missing.isEmpty, "fields without a rule: \(missing.joined(separator: ", "))")
    let allKeys = Set(FieldRules.pathRules.keys.map { "path:" + $0 } + FieldRules.typeRules.keys.map { "type:" + $0 })
    let stale = allKeys.subtracting(reachedKeys).sorted()
    #expect(stale.isEmpty, "rules for no reachable field: \(stale.joined(separator: ", "))")
    // Each key names a real field of the schema.
    for key in FieldRules.typeRules.keys {
      let parts = key.split(separator: ".", maxSplits: .max).map(String.init)
      let type = parts.dropLast().joined(separator: "."), field = parts.last!
      #expect(schema.messages[type]?.field(field) != nil, "\(key) is not a field of the schema")
    }
    // The walk saw all three kinds (and reports its size for the record).
    #expect(counts[.used, default: 0] > 100 && counts[.ignored, default: 0] > 30 && counts[.refused, default: 0] > 40,
            "\(counts)")
  }

  /// A config with `text` in place of the given block of the small synthetic config.
  func config(replacing old: String, with new: String) throws -> PipelineConfig {
    let path = Fixtures.packageRoot.appendingPathComponent("configs/ssd_small_synth.config").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains(old), "the small config has no \(old)")
    return try PipelineConfig.parse(text.replacingOccurrences(of: old, with: new), file: "small.config")
  }

  func verdict(replacing old: String, with new: String) throws -> TrainerVerdict {
    TrainerVerdict(config: try config(replacing: old, with: new))
  }

  @Test func seedAndSmallConfigsPass() throws {
    for name in ["ssd320_full_1gpus.config", "ssd320_full_4gpus.config", "ssd320_full_8gpus.config", "ssd320_bench.config"] {
      let v = TrainerVerdict(config: try PipelineConfig.load(path: Fixtures.config(name)))
      #expect(v.errors.isEmpty, "\(name): \(v.errors)")
    }
    let small = try config(replacing: "num_classes", with: "num_classes")
    #expect(TrainerVerdict(config: small).errors.isEmpty)
  }

  /// The three `ssd config check` passed and `ssd train` refused on the old main.
  @Test(arguments: [
    ("random_horizontal_flip {", "ssd_random_crop { operations { min_area: 0.1 } }\n  }\n  data_augmentation_options {\n    random_horizontal_flip {",
     "train_config.data_augmentation_options[0].ssd_random_crop: this augmentation is not implemented"),
    ("momentum_optimizer_value: 0.9", "momentum_optimizer_value: 0.9\n    }\n    adam_optimizer: {\n      learning_rate { constant_learning_rate { } }",
     "train_config.optimizer.adam_optimizer: only momentum_optimizer is implemented"),
    ("use_moving_average: false", "use_moving_average: true",
     "train_config.optimizer.use_moving_average: true is not implemented (moving averages of weights"),
    ("use_moving_average: false", "",
     "train_config.optimizer.use_moving_average: true is not implemented (moving averages of weights"),
    ("score_converter: SIGMOID", "score_converter: SOFTMAX",
     "model.ssd.post_processing.score_converter: SOFTMAX is not implemented"),
    ("iou_similarity {", "ioa_similarity {", "model.ssd.similarity_calculator.ioa_similarity: only iou_similarity"),
    ("alpha: 0.25", "", "weighted_sigmoid_focal.alpha: missing; focal loss without alpha is not implemented"),
    ("activation: RELU_6,", "activation: RELU,",
     "conv_hyperparams.activation: RELU is not implemented (every convolution followed by batch norm applies relu6"),
    ("stddev: 0.01", "stddev: 0.02", "random_normal_initializer.stddev: 0.02 is not implemented"),
    ("num_layers_before_predictor: 2", "num_layers_before_predictor: 2\n        share_prediction_tower: true",
     "share_prediction_tower: true is not implemented"),
    ("height: 128", "height: 120", "model.ssd.image_resizer.fixed_shape_resizer: 120x128 does not halve evenly"),
  ])
  func refusedAsTrainRefuses(old: String, new: String, message: String) throws {
    let v = try verdict(replacing: old, with: new)
    #expect(v.errors.contains { $0.description.contains(message) }, "\(v.errors)")
    let config = try config(replacing: old, with: new)
    var flags = ModelMainFlags()
    flags.modelDir = "/tmp/x"
    flags.pipelineConfigPath = "small.config"
    #expect(throws: ConfigError.self) { try ModelMainPlan(flags: flags, config: config) }
  }

  @Test func refusalsAreLocated() throws {
    let v = try verdict(replacing: "use_moving_average: false", with: "use_moving_average: true")
    let d = try #require(v.errors.first)
    let text = try String(contentsOfFile: Fixtures.packageRoot.appendingPathComponent("configs/ssd_small_synth.config").path,
                          encoding: .utf8)
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("use_moving_average") }!
    #expect(d.location.line == line + 1)
    #expect(d.description.hasPrefix("small.config:\(line + 1):"))
  }

  @Test func ignoredFieldsAreNotesNotErrors() throws {
    let v = try verdict(replacing: "use_moving_average: false", with: "use_moving_average: false\n    moving_average_decay: 0.5")
    #expect(v.errors.isEmpty)
    #expect(v.ignored.contains { $0.path == "train_config.optimizer.moving_average_decay" && $0.reason.contains("use_moving_average") })
  }

  @Test func badFreezePatternIsAConfigError() throws {
    let v = try verdict(replacing: "use_moving_average: false", with: "use_moving_average: false\n  }\n  freeze_variables: \"(unclosed\"\n  optimizer {")
    #expect(v.errors.contains { $0.path == "train_config.freeze_variables[0]" && $0.description.contains("not a regular expression") },
            "\(v.errors)")
  }
}
