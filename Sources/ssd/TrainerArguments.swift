import ArgumentParser
import Comm
import Config
import Coordinator
import Foundation
import Wire

/// The one parser of the trainer's command line, shared by `ssd train` (one process) and the
/// two ranks of a distributed run (`ssd coordinator`, `ssd worker`, which must get the same
/// arguments): model_main.py's flags, ours (`ModelMainFlags.trainerSpecs`) and, for the
/// distributed roles, `DistributedOptions.flags`, all read by `ModelMainFlags.parse(_:extra:)`
/// (absl syntax, one underscore spelling with the old dashed aliases, an unknown flag an error
/// naming the nearest one, every missing required flag listed).
///
/// A malformed command line is a `ValidationError` (usage, exit 64); a config that cannot
/// be trained is a `CommandFailure` (its diagnostics, exit 1, no usage).
struct TrainerArguments {
  enum Role {
    /// `ssd train`.
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
  /// `--global_batch_size`: split over the workers by `splitBatch(workers:)`.
  var globalBatchSize: Int?
  /// absl logging flags given (no effect).
  var loggingFlags: [String]

  /// The distributed flags as specs for the parser.
  static let distributedSpecs: [ModelMainFlags.Spec] = DistributedOptions.flags.map { f in
    let kind: ModelMainFlags.Kind = f.kind.hasPrefix("number") ? .number : f.kind.hasPrefix("boolean") ? .boolean
      : f.kind.hasPrefix("integer") ? .integer : .string
    return ModelMainFlags.Spec(name: f.name, kind: kind, defaultValue: nil, help: f.help)
  }

  /// Own flags the distributed trainer does not apply yet.
  static let singleProcessOnly: Set<String> = ["skip_bad_records"]

  /// `command` is the subcommand whose help `--help` prints.
  init(_ arguments: [String], role: Role, command: ParsableCommand.Type) throws {
    if arguments.contains(where: { ["--help", "-h", "-help", "--helpfull"].contains($0) }) {
      throw CleanExit.helpRequest(command)
    }
    let extra = ModelMainFlags.trainerSpecs + (role == .distributed ? Self.distributedSpecs : [])
    var commandLine: ModelMainFlags.CommandLine
    do {
      commandLine = try ModelMainFlags.parse(arguments, extra: extra, requireRequired: false)
      // --pipeline_config_path may be left out when model_dir (or, in eval-only mode, the
      // --checkpoint_dir) has the pipeline.config a training run wrote there.
      if commandLine.flags.pipelineConfigPath == nil, let dir = commandLine.flags.modelDir {
        let candidates = [dir] + (commandLine.flags.checkpointDir.map { [$0] } ?? [])
        guard let saved = candidates.lazy.compactMap(PipelineConfig.saved(inModelDir:)).first else {
          throw ValidationError(ModelDirConfig.missingMessage(modelDir: dir, also: Array(candidates.dropFirst())))
        }
        commandLine.flags.pipelineConfigPath = saved
      }
      try commandLine.flags.validate()
    } catch let error as ValidationError {
      throw error
    } catch {
      throw ValidationError("\(error)")
    }
    if !commandLine.positional.isEmpty {
      throw ValidationError("unexpected arguments: \(commandLine.positional.joined(separator: " ")); flags are --name=value")
    }
    if role == .distributed {
      for name in commandLine.extraValues.keys.sorted() where Self.singleProcessOnly.contains(name) {
        throw ValidationError("--\(name) is not supported by the distributed trainer yet; use ssd train (one process) for it")
      }
    }
    func int(_ name: String, min: Int) throws -> Int? {
      guard let v = commandLine.extra(name) else { return nil }
      guard let n = Int(v), n >= min else { throw ValidationError("--\(name)=\(v): expected an integer ≥ \(min)") }
      return n
    }
    func seconds(_ name: String, min: Double, inclusive: Bool) throws -> Double? {
      guard let v = commandLine.extra(name) else { return nil }
      guard let s = Double(v), inclusive ? s >= min : s > min else {
        throw ValidationError("--\(name)=\(v): expected seconds \(inclusive ? "≥" : ">") \(Int(min))")
      }
      return s
    }
    func bool(_ name: String) -> Bool? { commandLine.extra(name).map { $0 == "true" } }

    var options = TrainingOptions()
    if let v = commandLine.extra("seed") {
      guard let s = UInt64(v) else { throw ValidationError("--seed=\(v): expected a non-negative integer") }
      options.seed = s
    }
    options.saveCheckpointsSteps = try int("save_checkpoints_steps", min: 1)
    options.keepCheckpointMax = try int("keep_checkpoint_max", min: 0) ?? options.keepCheckpointMax
    options.logEveryNSteps = try int("log_every_n_steps", min: 1) ?? options.logEveryNSteps
    options.inputThreads = try int("threads", min: 1) ?? options.inputThreads
    options.evalBatchSize = try int("eval_batch_size", min: 1) ?? options.evalBatchSize
    options.evalAnnotations = commandLine.extra("eval_annotations")
    options.skipBadRecords = bool("skip_bad_records") ?? false
    options.evalPollSeconds = try seconds("eval_poll_secs", min: 0, inclusive: true) ?? options.evalPollSeconds
    // Several ranks share a terminal: only `ssd train` draws a progress bar.
    options.progressBar = role == .singleProcess && isatty(2) != 0

    var d = DistributedOptions()
    d.stallTimeoutSeconds = try seconds("stall_timeout_secs", min: 0, inclusive: false) ?? d.stallTimeoutSeconds
    d.replyTimeoutSeconds = try seconds("reply_timeout_secs", min: 0, inclusive: false) ?? d.replyTimeoutSeconds
    d.checkReplicas = bool("check_replicas") ?? false
    d.freezeBatchNorm = bool("freeze_batchnorm_for_test") ?? false
    d.scaleLossByWorkers = bool("scale_loss_by_workers_for_test") ?? false
    d.testHangWorker = try int("test_hang_worker", min: 0)
    d.testHangStep = try int("test_hang_step", min: 0) ?? 0
    d.overlapCommunication = bool("overlap_comm") ?? d.overlapCommunication
    d.bucketBytes = (try int("bucket_mib", min: 1)).map { $0 << 20 } ?? d.bucketBytes
    d.overlapWeightGather = bool("overlap_weight_gather") ?? d.overlapWeightGather
    d.gatherPieceBytes = (try int("gather_piece_kib", min: 1)).map { $0 << 10 } ?? d.gatherPieceBytes

    flags = commandLine.flags
    loggingFlags = commandLine.loggingFlags
    guard let path = flags.pipelineConfigPath, let dir = flags.modelDir else {
      preconditionFailure("ModelMainFlags.parse checks the required flags")
    }
    options.raportFile = flags.raportPath(modelDir: dir)
    do {
      config = try PipelineConfig.load(path: path)
      plan = try ModelMainPlan(flags: flags, config: config)
    } catch let error as ConfigError {
      throw CommandFailure(error.description)
    } catch {
      throw ValidationError("\(error)")
    }
    modelDir = dir
    training = options
    distributed = d
    globalBatchSize = try int("global_batch_size", min: 1)
  }

  /// Fits the config to `workers` workers: `--global_batch_size` G becomes a per-worker
  /// `batch_size` of G / workers, and `--scale_loss_by_workers_for_test` multiplies both loss
  /// weights by the worker count. Every rank computes the same.
  mutating func splitBatch(workers: Int) throws {
    guard globalBatchSize != nil || distributed.scaleLossByWorkers else { return }
    var c = config
    if let g = globalBatchSize {
      guard workers > 0, g % workers == 0 else {
        throw ValidationError("--global_batch_size=\(g) does not split over \(workers) worker(s): use a worker count that divides it")
      }
      c.trainConfig.batchSize = g / workers
    }
    if distributed.scaleLossByWorkers {
      c.model.ssd.loss.classificationWeight *= Float(workers)
      c.model.ssd.loss.localizationWeight *= Float(workers)
    }
    do {
      config = c
      plan = try ModelMainPlan(flags: flags, config: c)
    } catch {
      throw ValidationError("\(error)")
    }
  }

  /// The notes every role prints at start: config warnings and ignored fields, flags without effect.
  var startNotes: [String] {
    var out = config.warnings.map(\.description) + config.ignoredFields.map(\.description)
    if flags.amp { out.append("note: --amp has no effect here (training is FP32)") }
    if flags.allowXLA { out.append("note: --allow_xla has no effect here") }
    for flag in loggingFlags { out.append("note: \(flag): an absl logging flag; no effect here") }
    return out
  }

  /// The checks before the first step (`RunPreflight`, creating `--model_dir`): prints the
  /// notes; throws `CommandFailure` listing every problem.
  func preflight() throws {
    let result = RunPreflight.check(plan: plan, modelDir: modelDir, evalAnnotations: training.evalAnnotations, create: true)
    for note in result.notes { print(note) }
    guard result.problems.isEmpty else {
      throw CommandFailure(result.problems.map(\.description).joined(separator: "\n")
                           + "\n(checked before the first step; nothing was trained)")
    }
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
      } else if spec.name == "pipeline_config_path" {
        help += " May be left out when MODEL_DIR holds the pipeline.config training writes there."
      } else if spec.name == "allow_xla" {
        help = "Accepted for compatibility; does nothing here (no XLA on this CPU trainer)."
      } else if spec.name == "amp" {
        help = "Accepted for compatibility; does nothing here: training is always FP32."
      }
      s += line(spec, help: help)
    }
    s += "Our flags:\n"
    for spec in ModelMainFlags.trainerSpecs { s += line(spec, help: spec.help) }
    s += """
      An unknown flag is an error (did-you-mean); absl's logging flags are accepted and do nothing.
      Examples:
        ssd train --pipeline_config_path configs/ssd_small_synth.config --model_dir /tmp/small \\
                  --hparams_overrides load_pretrained=false
        ssd train --pipeline_config_path configs/ssd_small_synth.config --model_dir /tmp/eval \\
                  --checkpoint_dir /tmp/small --run_once
      """
    return s
  }

  private static func line(_ spec: ModelMainFlags.Spec, help: String) -> String {
    "  --\(spec.name) (\(spec.kind.rawValue)\(spec.defaultValue.map { ", default \($0)" } ?? "")"
      + "\(spec.isRequired ? ", required" : "")"
      + (spec.aliases.isEmpty ? "" : "; also " + spec.aliases.map { "--" + $0 }.joined(separator: ", "))
      + "): \(help)\n"
  }

  /// `ssd coordinator/worker --help`: `ssd train`'s flags, the distributed ones, a launch line.
  static var distributedHelp: String {
    var s = flagHelp
    s += "\nDistributed flags:\n"
    for f in DistributedOptions.flags { s += "  --\(f.name) (\(f.kind)): \(f.help)\n" }
    s += """
      Launch (one MPI world: rank 0 the coordinator, ranks 1…N the workers), e.g. launch/SSD320_FP32_4WORKER.sh:
        mpirun --allow-run-as-root --oversubscribe \\
          -np 1 -x OPENBLAS_NUM_THREADS=1 ssd coordinator --model_dir runs/x --pipeline_config_path cfg.config : \\
          -np 4 -x OPENBLAS_NUM_THREADS=1 ssd worker --model_dir runs/x --pipeline_config_path cfg.config
      (-x applies to the app context it is in: give it to each.)
      """
    return s
  }
}
