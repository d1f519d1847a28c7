import ArgumentParser
import Comm
import Config
import Coordinator
import Foundation
import Wire

/// The one parser of the trainer's command line, shared by `ssd train` (one process) and the
/// two ranks of a distributed run (`ssd coordinator`, `ssd worker`, which must get the same
/// arguments): model_main.py's flags (absl syntax, unknown ones warned about and ignored,
/// as `tf.app.run` does), our flags (`ownFlags`) and, for the distributed roles,
/// `DistributedOptions.flags`. Splitting is `TrainerCommandLine`; values are checked here.
struct TrainerArguments {
  enum Role {
    /// `ssd train`: distributed flags are not ours (warned about and ignored).
    case singleProcess
    /// `ssd coordinator` / `ssd worker`: own flags the distributed trainer does not apply
    /// are refused.
    case distributed
  }

  var flags: ModelMainFlags
  var config: PipelineConfig
  var plan: ModelMainPlan
  var training: TrainingOptions
  var distributed: DistributedOptions
  /// `--model_dir`.
  var modelDir: String

  /// Our flags: name, value kind, help.
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

  /// Own flags that take no value.
  static let ownBooleans: Set<String> = ["skip-bad-records"]
  static let distributedBooleans: Set<String> = ["check_replicas", "freeze_batchnorm_for_test", "overlap_comm",
                                                        "overlap_weight_gather"]
  /// Own flags the distributed trainer does not apply yet.
  static let singleProcessOnly: Set<String> = ["skip-bad-records"]

  /// `command` is the subcommand whose help `--help` prints.
  init(_ arguments: [String], role: Role, command: ParsableCommand.Type) throws {
    if arguments.contains(where: { ["--help", "-h", "-help", "--helpfull"].contains($0) }) {
      throw CleanExit.helpRequest(command)
    }
    var valued = Set(Self.ownFlags.map(\.name)).subtracting(Self.ownBooleans)
    var booleans = Self.ownBooleans
    if role == .distributed {
      valued.formUnion(Set(DistributedOptions.flags.map(\.name)).subtracting(Self.distributedBooleans))
      booleans.formUnion(Self.distributedBooleans)
    }
    let commandLine = try TrainerCommandLine(arguments, valued: valued, booleans: booleans)
    let own = commandLine.own
    if role == .distributed {
      for name in own.keys.sorted() where Self.singleProcessOnly.contains(name) {
        throw ValidationError("--\(name) is not supported by the distributed trainer yet; use ssd train (one process) for it")
      }
    }
    func int(_ name: String, min: Int) throws -> Int? {
      guard let v = own[name] else { return nil }
      guard let n = Int(v), n >= min else { throw ValidationError("--\(name)=\(v): expected an integer ≥ \(min)") }
      return n
    }
    func seconds(_ name: String) throws -> Double? {
      guard let v = own[name] else { return nil }
      guard let s = Double(v), s > 0 else { throw ValidationError("--\(name)=\(v): expected seconds > 0") }
      return s
    }
    func bool(_ name: String) throws -> Bool? {
      guard let v = own[name] else { return nil }
      switch v.lowercased() {
      case "true", "1", "yes": return true
      case "false", "0", "no": return false
      default: throw ValidationError("--\(name)=\(v): expected true or false")
      }
    }

    var options = TrainingOptions()
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
    options.skipBadRecords = try bool("skip-bad-records") ?? false
    if let v = own["eval_poll_secs"] {
      guard let s = Double(v), s >= 0 else { throw ValidationError("--eval_poll_secs=\(v): expected seconds ≥ 0") }
      options.evalPollSeconds = s
    }
    options.raportFile = commandLine.modelMain.raportFile.isEmpty ? nil : commandLine.modelMain.raportFile
    // Several ranks share a terminal: only `ssd train` draws a progress bar.
    options.progressBar = role == .singleProcess && isatty(2) != 0

    var d = DistributedOptions()
    d.stallTimeoutSeconds = try seconds("stall_timeout_secs") ?? d.stallTimeoutSeconds
    d.replyTimeoutSeconds = try seconds("reply_timeout_secs") ?? d.replyTimeoutSeconds
    d.checkReplicas = try bool("check_replicas") ?? false
    d.freezeBatchNorm = try bool("freeze_batchnorm_for_test") ?? false
    d.testHangWorker = try int("test_hang_worker", min: 0)
    d.testHangStep = try int("test_hang_step", min: 0) ?? 0
    d.overlapCommunication = try bool("overlap_comm") ?? d.overlapCommunication
    d.bucketBytes = (try int("bucket_mib", min: 1)).map { $0 << 20 } ?? d.bucketBytes
    d.overlapWeightGather = try bool("overlap_weight_gather") ?? d.overlapWeightGather

    flags = commandLine.modelMain
    guard let path = flags.pipelineConfigPath, let dir = flags.modelDir else {
      throw ValidationError("--model_dir and --pipeline_config_path are required")
    }
    do {
      config = try PipelineConfig.load(path: path)
      plan = try ModelMainPlan(flags: flags, config: config)
    } catch {
      throw ValidationError("\(error)")
    }
    modelDir = dir
    training = options
    distributed = d
  }

  /// `ssd train --help`: model_main.py's flags as we treat them, then ours.
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

  /// `ssd coordinator/worker --help`: `ssd train`'s flags, the distributed ones, a launch line.
  static var distributedHelp: String {
    var s = flagHelp
    s += "\nDistributed flags:\n"
    for f in DistributedOptions.flags { s += "  --\(f.name) (\(f.kind)): \(f.help)\n" }
    s += """
      Launch (one MPI world: rank 0 the coordinator, ranks 1…N the workers), e.g. launch/SSD320_FP32_4WORKER.sh:
        mpirun --allow-run-as-root --oversubscribe -x OPENBLAS_NUM_THREADS=1 \\
          -np 1 ssd coordinator --model_dir runs/x --pipeline_config_path cfg.config : \\
          -np 4 ssd worker --model_dir runs/x --pipeline_config_path cfg.config
      """
    return s
  }
}

/// What both distributed roles do first: parse the shared command line, start the MPI
/// thread and make the world communicator on it.
struct DistributedRank {
  let arguments: TrainerArguments
  let thread: CommThread
  let world: Communicator

  init(_ arguments: [String], command: ParsableCommand.Type) throws {
    setvbuf(stdout, nil, _IOLBF, 0)
    self.arguments = try TrainerArguments(arguments, role: .distributed, command: command)
    thread = CommThread(name: "mpi")
    world = try thread.sync { try Communicator.world() }
  }
}
