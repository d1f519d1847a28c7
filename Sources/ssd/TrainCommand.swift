import ArgumentParser
import Config
import Coordinator
import Foundation
import Worker

/// `ssd train`: model_main.py's command line (same flag names, absl syntax: `--flag=value`,
/// `--flag value`, `--flag`/`--noflag` for booleans; unknown flags are reported and ignored
/// like tf.app.run does) plus our own flags. See docs/model_main.md.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train and evaluate as model_main.py does (one process; flags of the same names).",
    discussion: TrainCommand.flagHelp)

  @Argument(parsing: .captureForPassthrough, help: "model_main.py flags and ours (listed above).")
  var arguments: [String] = []

  /// Our flags: name, value kind, default, help.
  static let ownFlags: [(name: String, kind: String, help: String)] = [
    ("seed", "integer, default 0", "Seed of the weight initializers, the data order and every sample's augmentation."),
    ("save_checkpoints_steps", "integer", "Checkpoint every N steps (default num_steps/eval_count, as RunConfig does); "
       + "a checkpoint is also written at the end of each training phase."),
    ("keep_checkpoint_max", "integer, default 5", "Checkpoints kept in model_dir (older ones are deleted)."),
    ("log_every_n_steps", "integer, default 10", "One log line (step, losses, lr, images/s) every N steps."),
    ("threads", "integer, default 2", "Input pipeline threads (JPEG decode and augmentation)."),
    ("eval_annotations", "path", "COCO instances JSON to score against (ground truth rebuilt from the eval records otherwise, "
       + "as the recipe does; spec §9.1)."),
    ("eval_batch_size", "integer, default 8", "Images per inference batch during evaluation (results do not depend on it)."),
    ("eval_poll_secs", "number, default 180", "Continuous evaluation: seconds between looks for a new checkpoint."),
    ("skip-bad-records", "flag", "Check every record first (tf.Example, JPEG) and skip those that fail, listing them; "
       + "without it the first bad record stops the run naming its file and record."),
  ]

  static var flagHelp: String {
    var s = "model_main.py flags:\n"
    for spec in ModelMainFlags.specs {
      var help = spec.help
      if spec.name == "sample_1_of_n_eval_examples" {
        help = "Evaluate every n-th validation example (the recipe ignores this flag; here it works)."
      } else if spec.name == "sample_1_of_n_eval_on_train_examples" {
        help = "With --eval_training_data, evaluate every n-th training example (ignored by the recipe; works here)."
      } else if spec.name == "eval_count" {
        help = "Train num_steps/eval_count steps, checkpoint, evaluate; eval_count times (as model_main.py's loop does)."
      } else if spec.name == "allow_xla" {
        help = "Accepted for compatibility; does nothing here (no XLA on this CPU trainer)."
      } else if spec.name == "amp" {
        help = "Accepted for compatibility; does nothing here: training is always FP32."
      }
      s += "  --\(spec.name) (\(spec.kind.rawValue)\(spec.defaultValue.map { ", default \($0)" } ?? "")"
        + "\(spec.isRequired ? ", required" : "")): \(help)\n"
    }
    s += "Our flags:\n"
    for f in ownFlags { s += "  --\(f.name) (\(f.kind)): \(f.help)\n" }
    s += """
      Examples:
        ssd train --pipeline_config_path configs/ssd_small_synth.config --model_dir /tmp/small \\
                  --hparams_overrides load_pretrained=false
        ssd train --pipeline_config_path configs/ssd_small_synth.config --model_dir /tmp/eval \\
                  --checkpoint_dir /tmp/small --run_once
      """
    return s
  }

  func run() throws {
    if arguments.contains(where: { ["--help", "-h", "-help", "--helpfull"].contains($0) }) {
      print(Self.helpMessage())
      return
    }
    let commandLine = try TrainerCommandLine(
      arguments, valued: Set(Self.ownFlags.map(\.name)).subtracting(["skip-bad-records"]),
      booleans: ["skip-bad-records"])
    let own = commandLine.own

    var options = TrainingOptions()
    func int(_ name: String, min: Int) throws -> Int? {
      guard let v = own[name] else { return nil }
      guard let n = Int(v), n >= min else { throw ValidationError("--\(name)=\(v): expected an integer ≥ \(min)") }
      return n
    }
    if let v = own["seed"] {
      guard let s = UInt64(v) else { throw ValidationError("--seed=\(v): expected a non-negative integer") }
      options.seed = s
    }
    options.saveCheckpointsSteps = try int("save_checkpoints_steps", min: 1)
    options.keepCheckpointMax = try int("keep_checkpoint_max", min: 0) ?? options.keepCheckpointMax
    options.logEveryNSteps = try int("log_every_n_steps", min: 1) ?? options.logEveryNSteps
    options.inputThreads = try int("threads", min: 1) ?? options.inputThreads
    options.evalBatchSize = try int("eval_batch_size", min: 1) ?? options.evalBatchSize
    options.evalAnnotations = own["eval_annotations"]
    if let v = own["skip-bad-records"] {
      guard let b = ["true": true, "1": true, "false": false, "0": false][v.lowercased()] else {
        throw ValidationError("--skip-bad-records=\(v): expected true or false")
      }
      options.skipBadRecords = b
    }
    if let v = own["eval_poll_secs"] {
      guard let s = Double(v), s >= 0 else { throw ValidationError("--eval_poll_secs=\(v): expected seconds ≥ 0") }
      options.evalPollSeconds = s
    }
    let flags = commandLine.modelMain
    options.raportFile = flags.raportFile.isEmpty ? nil : flags.raportFile
    options.progressBar = isatty(2) != 0

    let config: PipelineConfig
    let plan: ModelMainPlan
    do {
      config = try PipelineConfig.load(path: flags.pipelineConfigPath!)
      plan = try ModelMainPlan(flags: flags, config: config)
    } catch {
      throw ValidationError("\(error)")
    }
    for w in config.warnings { print("\(w)") }
    for f in config.ignoredFields { print("\(f)") }
    if flags.amp { print("note: --amp has no effect here (training is FP32)") }
    if flags.allowXLA { print("note: --allow_xla has no effect here") }
    let coordinator = try TrainingCoordinator.singleProcess(plan: plan, modelDir: flags.modelDir!, options: options)
    do {
      try coordinator.run()
      FinalReport.write(modelDir: flags.modelDir!, raportFile: options.raportFile)
    } catch let error as NonFiniteLossError {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(2)
    }
  }
}
