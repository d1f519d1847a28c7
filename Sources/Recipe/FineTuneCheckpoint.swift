import Checkpoint
import Config

/// `train_config.fine_tune_checkpoint` as the fork's `model_lib` restores it
/// (`ssd_meta_arch.restore_map` + `get_variables_available_in_checkpoint`), when
/// `load_pretrained` is true and the model_dir has no checkpoint of its own:
/// - `fine_tune_checkpoint_type` empty: `detection` if the deprecated
///   `from_detection_checkpoint` is set, else `classification`;
/// - `classification`: every variable under `FeatureExtractor/`, looked up without that
///   prefix (`FeatureExtractor/resnet_v1_50/conv1/weights` ← `resnet_v1_50/conv1/weights`);
/// - `detection`: the variables under `FeatureExtractor` under their own names, or every
///   variable with `load_all_detection_checkpoint_vars`;
/// - what the checkpoint lacks keeps its initializer. Restoring nothing at all is refused
///   here (TensorFlow would train from the initializers without a word): it means a wrong
///   path, type or checkpoint; `--hparams_overrides load_pretrained=false` says "from scratch".
public struct FineTuneCheckpoint: Equatable, Sendable {
  public var path: String
  /// `classification` or `detection`, resolved as above.
  public var type: String
  public var scope: String
  public var stripScope: Bool

  public init(_ train: TrainConfig) {
    path = train.fineTuneCheckpoint
    var t = train.fineTuneCheckpointType
    if t.isEmpty { t = train.fromDetectionCheckpoint ? "detection" : "classification" }
    type = t
    switch t {
    case "detection":
      scope = train.loadAllDetectionCheckpointVars ? "" : "FeatureExtractor"
      stripScope = false
    default:
      scope = "FeatureExtractor/"
      stripScope = true
    }
  }

  /// What a restore into variables of these names and shapes would do (no values read).
  public func mapping(_ reader: CheckpointReader, variables: [(name: String, shape: [Int])]) -> CheckpointMapping {
    CheckpointMapping(checkpoint: reader, variables: variables, scope: scope, stripScope: stripScope)
  }

  /// Why a restore that maps `mapping` is refused (nothing restored), or nil.
  public func problem(_ mapping: CheckpointMapping, variableCount: Int) -> String? {
    guard mapping.restored.isEmpty else { return nil }
    let lookup = stripScope ? "names under '\(scope)' looked up without that prefix"
      : scope.isEmpty ? "every variable under its own name" : "names under '\(scope)' looked up as they are"
    return "'\(path)' has none of the \(variableCount) model variables "
      + "(fine_tune_checkpoint_type \(type): \(lookup); \(mapping.missing.count) not found, "
      + "\(mapping.mismatched.count) of another shape). Check the path and fine_tune_checkpoint_type, or pass "
      + "--hparams_overrides load_pretrained=false to train from the initializers"
  }
}
