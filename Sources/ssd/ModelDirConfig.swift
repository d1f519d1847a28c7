import Config
import Foundation

/// Which pipeline config a command uses when `--pipeline_config_path` may be left out: the
/// one given, else the `pipeline.config` a training run wrote into its model_dir.
enum ModelDirConfig {
  /// `given`, else `MODEL_DIR/pipeline.config` of `checkpoint` (a model_dir, or a checkpoint
  /// prefix inside one). Neither there: a `CommandFailure` saying to pass the flag.
  static func path(given: String?, checkpoint: String) throws -> String {
    if let given { return given }
    var isDirectory: ObjCBool = false
    let dir = FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isDirectory) && isDirectory.boolValue
      ? checkpoint : PathParts.parent(checkpoint)
    return try path(given: nil, modelDir: dir.isEmpty ? "." : dir)
  }

  /// `given`, else `MODEL_DIR/pipeline.config`, else a `CommandFailure`.
  static func path(given: String?, modelDir: String) throws -> String {
    if let given { return given }
    if let saved = PipelineConfig.saved(inModelDir: modelDir) { return saved }
    throw CommandFailure(missingMessage(modelDir: modelDir))
  }

  /// Names every place looked at (`also`: further directories, e.g. `--checkpoint_dir`).
  static func missingMessage(modelDir: String, also: [String] = []) -> String {
    let looked = ([modelDir] + also).map { PipelineConfig.savedPath(modelDir: $0) }
    return "no --pipeline_config_path given and \(looked.joined(separator: " nor ")) does not exist "
      + "(ssd train writes it there at the start of training); pass --pipeline_config_path PATH"
  }
}
