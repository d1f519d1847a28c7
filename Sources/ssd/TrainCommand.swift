import ArgumentParser
import Config
import Coordinator
import Foundation
import Wire
import Worker

/// `ssd train`: model_main.py's command line (same flag names, absl syntax: `--flag=value`,
/// `--flag value`, `--flag`/`--noflag` for booleans; unknown flags are reported and ignored
/// like tf.app.run does) plus our own flags. See docs/model_main.md.
///
/// Single-process training is wired here: one `TrainingWorker` holding the whole arena is
/// the coordinator's backend.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train and evaluate as model_main.py does (one process; flags of the same names).",
    discussion: TrainerArguments.flagHelp)

  @Argument(parsing: .captureForPassthrough, help: "model_main.py flags and ours (listed above).")
  var arguments: [String] = []

  func run() throws {
    let args = try TrainerArguments(arguments, role: .singleProcess, command: Self.self)
    for w in args.config.warnings { print("\(w)") }
    for f in args.config.ignoredFields { print("\(f)") }
    if args.flags.amp { print("note: --amp has no effect here (training is FP32)") }
    if args.flags.allowXLA { print("note: --allow_xla has no effect here") }
    let worker = try TrainingWorker(plan: args.plan, seed: args.training.seed, inputThreads: args.training.inputThreads,
                                    skipBadRecords: args.training.skipBadRecords)
    let coordinator = TrainingCoordinator(plan: args.plan, modelDir: args.modelDir, options: args.training, backend: worker)
    do {
      try coordinator.run()
      FinalReport.write(modelDir: args.modelDir, raportFile: args.training.raportFile)
    } catch let error as NonFiniteLossError {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(2)
    }
  }
}
