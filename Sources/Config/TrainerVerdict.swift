/// What this trainer makes of a loaded config: the fields it refuses (errors), the fields
/// the file sets that have no effect (notes), both located in the file. `ssd config check`,
/// `ssd train` and the distributed coordinator all take their verdict from here
/// (`ModelMainPlan` throws its errors), so the check and the run always agree.
///
/// It walks the config with `FieldRules`: a set field that is refused is an error; a set
/// field that is ignored is listed; a used field whose rule limits its values is checked
/// with its effective value (so `optimizer { }` without `use_moving_average: false` is
/// refused: the proto default is true); message fields are walked into (unset non-repeated
/// ones as their default message, so their defaults are checked too). Then the checks that
/// involve several fields (levels, image size, one L2 weight and one batch-norm setting for
/// the whole network).
public struct TrainerVerdict: Sendable {
  /// What the verdict is for.
  public enum Scope: Sendable {
    /// Training and evaluation (`ssd train`, `ssd coordinator`, `ssd config check`).
    case training
    /// Building the detector only (`ssd detect`): the `model` block.
    case model
  }

  public var errors: [ConfigDiagnostic] = []
  public var ignored: [IgnoredField] = []

  /// The verdict on `config` as read (`config.proto`, overrides applied).
  public init(config: PipelineConfig, scope: Scope = .training) {
    let (errors, ignored) = Self.walk(config.proto, file: config.file, scope: scope)
    self.errors = errors + Self.consistency(config, scope: scope)
    self.errors.sort { $0.location < $1.location }
    self.ignored = ignored
  }

  /// Throws `ConfigError` listing every refused field, if there is one.
  public func check() throws {
    if !errors.isEmpty { throw ConfigError(errors) }
  }

  // MARK: - The walk

  /// Refusals and ignored fields of a checked `TrainEvalPipelineConfig` message.
  static func walk(_ root: ProtoMessage, file: String, scope: Scope = .training)
    -> (errors: [ConfigDiagnostic], ignored: [IgnoredField])
  {
    var walker = Walker(file: file)
    if scope == .model {
      if root.has("model") { walker.visit(root.message("model"), path: "model", key: "model", parent: root.location) }
    } else {
      walker.visit(root, path: "", key: "", parent: nil)
    }
    return (walker.errors, walker.ignored.sorted { $0.location < $1.location })
  }

  private struct Walker {
    let file: String
    var errors: [ConfigDiagnostic] = []
    var ignored: [IgnoredField] = []

    /// `path` has indices (`eval_input_reader[0].shuffle`), `key` has none; `parent` locates
    /// problems with a message that is not written in the file.
    mutating func visit(_ m: ProtoMessage, path: String, key: String, parent: SourceLocation?) {
      let here = m.location ?? parent
      for field in m.messageSchema.fields {
        let fieldPath = path.isEmpty ? field.name : path + "." + field.name
        let fieldKey = key.isEmpty ? field.name : key + "." + field.name
        guard let treatment = FieldRules.treatment(type: m.type, field: field.name, path: fieldKey) else {
          preconditionFailure("FieldRules has no rule for \(m.type).\(field.name) at \(fieldKey)")
        }
        let entry = m.entry(field.name)
        switch treatment {
        case .refused(let reason):
          if let entry {
            errors.append(ConfigDiagnostic(file: file, location: entry.location ?? here ?? .fileStart, path: fieldPath,
                                           problem: .unsupported(reason)))
          }
        case .ignored(let reason):
          if let entry {
            ignored.append(IgnoredField(path: fieldPath, location: entry.location ?? here ?? .fileStart, reason: reason))
          }
        case .used(let requirement):
          // Unset oneof members and repeated fields have nothing to check or walk.
          let walksDefault = entry == nil && !field.isRepeated && field.oneof == nil
          if let requirement, entry != nil || !field.isRepeated, entry != nil || field.oneof == nil {
            let values = entry?.values ?? (field.isRepeated ? [] : [m.value(field.name)])
            if let why = requirement(FieldTreatment.Values(values: values, isSet: entry != nil)) {
              errors.append(ConfigDiagnostic(file: file, location: entry?.location ?? here ?? .fileStart,
                                             path: fieldPath, problem: .unsupported(why)))
            }
          }
          guard field.type.isMessage else { continue }
          if let entry {
            for (i, value) in entry.values.enumerated() {
              guard case .message(let sub) = value else { continue }
              visit(sub, path: field.isRepeated ? "\(fieldPath)[\(i)]" : fieldPath, key: fieldKey,
                    parent: entry.location ?? here)
            }
          } else if walksDefault {
            visit(m.message(field.name), path: fieldPath, key: fieldKey, parent: here)
          }
        }
      }
    }
  }

  // MARK: - Checks across fields

  /// What `SSDConfig(pipeline:)` and the network's builder need beyond single fields.
  static func consistency(_ config: PipelineConfig, scope: Scope) -> [ConfigDiagnostic] {
    var out: [ConfigDiagnostic] = []
    let ssd = config.model.ssd
    let fe = ssd.featureExtractor
    let predictorPath = "model.ssd.box_predictor.weight_shared_convolutional_box_predictor"
    let levels = fe.fpn.map { ($0.minLevel, $0.maxLevel) } ?? (3, 7)
    if !(2...5).contains(levels.0) || levels.1 < max(levels.0, 5) {
      out.append(config.diagnostic("model.ssd.feature_extractor.fpn", .unsupported(
        "levels \(levels.0)...\(levels.1) are not implemented: min_level 2...5 (a ResNet block), max_level ≥ 5 and ≥ min_level")))
    }
    let anchors = ssd.anchorGenerator
    if fe.fpn == nil, (anchors.minLevel, anchors.maxLevel) != levels {
      out.append(config.diagnostic("model.ssd.anchor_generator.multiscale_anchor_generator.min_level", .invalidValue(
        "anchor levels \(anchors.minLevel)...\(anchors.maxLevel) must equal the FPN levels \(levels.0)...\(levels.1) "
          + "(no fpn block: the extractor's default 3...7)")))
    }
    if let size = ssd.imageResizer.fixedShape, size.height > 0, size.width > 0 {
      func featureSize(_ level: Int) -> (Int, Int) {
        let s = 1 << level
        return ((size.height + s - 1) / s, (size.width + s - 1) / s)
      }
      let top = min(levels.1, 5)
      if levels.0 >= 1, levels.0 < top {
        for l in levels.0..<top where featureSize(l) != (2 * featureSize(l + 1).0, 2 * featureSize(l + 1).1) {
          out.append(config.diagnostic("model.ssd.image_resizer.fixed_shape_resizer", .unsupported(
            "\(size.height)x\(size.width) does not halve evenly down to level \(top) (the FPN adds level \(l + 1) "
              + "upsampled to level \(l)); use multiples of \(1 << top)")))
          break
        }
      }
      if fe.padToMultiple > 1, size.height % fe.padToMultiple != 0 || size.width % fe.padToMultiple != 0 {
        out.append(config.diagnostic("model.ssd.feature_extractor.pad_to_multiple", .unsupported(
          "padding the input to a multiple of \(fe.padToMultiple) is not implemented; use an image size that is "
            + "a multiple of it (then it pads nothing) or pad_to_multiple: 1")))
      }
    }
    let feHyper = fe.convHyperparams, bpHyper = ssd.boxPredictor.convHyperparams
    for (hyper, path) in [(feHyper, "model.ssd.feature_extractor.conv_hyperparams"), (bpHyper, predictorPath + ".conv_hyperparams")]
    where hyper.batchNorm == nil && hyper.normalizer == nil {
      out.append(config.diagnostic(path, .unsupported(
        "convolutions without batch norm are not implemented; add batch_norm { scale: true decay: 0.997 epsilon: 0.001 }")))
    }
    if (feHyper.l2Weight ?? 0) != (bpHyper.l2Weight ?? 0) {
      out.append(config.diagnostic(predictorPath + ".conv_hyperparams.regularizer", .unsupported(
        "L2 weight \(bpHyper.l2Weight ?? 0) differs from the feature extractor's \(feHyper.l2Weight ?? 0); "
          + "this trainer applies one L2 weight to every convolution kernel")))
    }
    if let a = feHyper.batchNorm, let b = bpHyper.batchNorm, a.decay != b.decay || a.epsilon != b.epsilon {
      out.append(config.diagnostic(predictorPath + ".conv_hyperparams.batch_norm", .unsupported(
        "decay \(b.decay) / epsilon \(b.epsilon) differ from the feature extractor's \(a.decay) / \(a.epsilon); "
          + "this trainer uses one batch-norm decay and epsilon for the FPN and the box predictor")))
    }
    guard scope == .training else { return out }
    if config.trainConfig.gradientClippingByNorm < 0 {
      out.append(config.diagnostic("train_config.gradient_clipping_by_norm", .invalidValue(
        "must be positive (clip the global gradient norm to it) or 0 (no clipping), got \(config.trainConfig.gradientClippingByNorm)")))
    }
    for field in ["freeze_variables", "update_trainable_variables"] {
      let patterns = field == "freeze_variables" ? config.trainConfig.freezeVariables : config.trainConfig.updateTrainableVariables
      for (i, pattern) in patterns.enumerated() {
        if let problem = VariableFilter.compileProblem(pattern) {
          out.append(config.diagnostic("train_config.\(field)[\(i)]", .invalidValue(problem)))
        }
      }
    }
    return out
  }
}
