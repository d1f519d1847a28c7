import ArgumentParser
import Config
import Coordinator
import Foundation
import Worker

/// The command line shared by `ssd coordinator` and `ssd worker`: `ssd train`'s flags
/// (model_main.py's and ours, same syntax) plus `DistributedOptions.flags`. Both roles must
/// get the same arguments (the launch scripts pass one list to both).
struct DistributedArguments {
  var flags: ModelMainFlags
  var config: PipelineConfig
  var plan: ModelMainPlan
  var training: TrainingOptions
  var distributed: DistributedOptions

  static let booleanFlags: Set<String> = ["check_replicas", "freeze_batchnorm_for_test", "overlap_comm"]

  static var help: String {
    var s = TrainCommand.flagHelp
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

  /// `command` is the subcommand type whose help `--help` prints.
  init(_ arguments: [String], command: ParsableCommand.Type) throws {
    if arguments.contains(where: { ["--help", "-h", "-help", "--helpfull"].contains($0) }) {
      throw CleanExit.helpRequest(command)
    }
    let valued = Set(TrainCommand.ownFlags.map(\.name) + DistributedOptions.flags.map(\.name))
      .subtracting(Self.booleanFlags).subtracting(["skip-bad-records"])
    let commandLine = try TrainerCommandLine(arguments, valued: valued,
                                             booleans: Self.booleanFlags.union(["skip-bad-records"]))
    let own = commandLine.own

    // ssd train flags this parser does not apply are refused rather than ignored.
    let handled = Set(["seed", "save_checkpoints_steps", "keep_checkpoint_max", "log_every_n_steps", "threads",
                       "eval_annotations", "eval_batch_size", "eval_poll_secs"] + DistributedOptions.flags.map(\.name))
    for name in own.keys.sorted() where !handled.contains(name) {
      throw ValidationError("--\(name) is not supported by the distributed trainer yet; use ssd train (one process) for it")
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
    if let v = own["eval_poll_secs"] {
      guard let s = Double(v), s >= 0 else { throw ValidationError("--eval_poll_secs=\(v): expected seconds ≥ 0") }
      options.evalPollSeconds = s
    }
    options.raportFile = commandLine.modelMain.raportFile.isEmpty ? nil : commandLine.modelMain.raportFile
    options.progressBar = false  // several ranks share the terminal
    var d = DistributedOptions()
    d.stallTimeoutSeconds = try seconds("stall_timeout_secs") ?? d.stallTimeoutSeconds
    d.replyTimeoutSeconds = try seconds("reply_timeout_secs") ?? d.replyTimeoutSeconds
    d.checkReplicas = try bool("check_replicas") ?? false
    d.freezeBatchNorm = try bool("freeze_batchnorm_for_test") ?? false
    d.testHangWorker = try int("test_hang_worker", min: 0)
    d.testHangStep = try int("test_hang_step", min: 0) ?? 0
    d.overlapCommunication = try bool("overlap_comm") ?? d.overlapCommunication
    d.bucketBytes = (try int("bucket_mib", min: 1)).map { $0 << 20 } ?? d.bucketBytes
    flags = commandLine.modelMain
    guard let path = flags.pipelineConfigPath, flags.modelDir != nil else {
      throw ValidationError("--model_dir and --pipeline_config_path are required")
    }
    do {
      config = try PipelineConfig.load(path: path)
      plan = try ModelMainPlan(flags: flags, config: config)
    } catch {
      throw ValidationError("\(error)")
    }
    training = options
    distributed = d
  }
}
