import Foundation

/// The `pipeline.config` a training run leaves in its model_dir (as newer Object Detection API
/// versions save it), so the directory describes itself: `ssd train`/`coordinator`/`worker`,
/// `ssd detect` and `ssd eval` given a model_dir and no `--pipeline_config_path` read it.
extension PipelineConfig {
  public static let savedFileName = "pipeline.config"

  /// `MODEL_DIR/pipeline.config`.
  public static func savedPath(modelDir: String) -> String {
    (modelDir as NSString).appendingPathComponent(savedFileName)
  }

  /// `MODEL_DIR/pipeline.config` if that file exists.
  public static func saved(inModelDir modelDir: String) -> String? {
    let path = savedPath(modelDir: modelDir)
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue ? path : nil
  }

  /// Fields holding a file path or glob, made absolute in the saved text so the config works
  /// from any working directory.
  public static let pathFields: Set<String> = ["input_path", "label_map_path", "fine_tune_checkpoint"]

  /// The text of the saved file: a comment naming where it came from, then the config in
  /// text format (`ProtoTextPrinter`), with relative paths of `pathFields` resolved against
  /// `workingDirectory` (the directory the run resolves them in).
  public func savedText(workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
    let printer = ProtoTextPrinter { field, value in
      guard Self.pathFields.contains(field), !value.isEmpty, !value.hasPrefix("/") else { return value }
      return (workingDirectory as NSString).appendingPathComponent(value)
    }
    return "# The pipeline config of this model_dir's training run, as used: \(file) with the command line's\n"
      + "# changes applied, relative paths made absolute. Written by swift-ssd at the start of training.\n"
      + printer.text(proto)
  }
}

extension ModelMainPlan {
  /// The config as the run uses it, with the flag merges in its text as well as its typed
  /// values: `--num_train_steps` in `train_config.num_steps`, every eval reader's
  /// `sample_1_of_n_examples` from the flag and `num_epochs: 1` (as `config_util`'s merge
  /// leaves them). Loading its `savedText()` gives this plan's config again.
  public func configAsUsed() throws -> PipelineConfig {
    var overrides = ["train_config.num_steps=\(config.trainConfig.numSteps)"]
    for (i, reader) in config.evalInputReaders.enumerated() {
      overrides.append("eval_input_reader[\(i)].sample_1_of_n_examples=\(reader.sample1OfNExamples)")
      overrides.append("eval_input_reader[\(i)].num_epochs=\(reader.numEpochs)")
    }
    return try config.applyingOverrides(overrides, source: "command line")
  }
}
