import ArgumentParser
import Config
import Coordinator
import Foundation
import Wire
import Worker

/// `ssd train`: model_main.py's command line (same flag names, absl syntax: `--flag=value`,
/// `--flag value`, `--flag`/`--noflag` for booleans; an unknown flag is an error naming the
/// nearest one, where tf.app.run would ignore it) plus our own flags. The files are checked
/// before the first step (`RunPreflight`). See docs/model_main.md.
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
    // Line-buffered like the coordinator, so a log redirected to a file (continuous
    // evaluation waiting for checkpoints included) shows each line when it is printed.
    setvbuf(stdout, nil, _IOLBF, 0)
    var args = try TrainerArguments(arguments, role: .singleProcess, command: Self.self)
    try args.splitBatch(workers: 1)
    for note in args.startNotes { print(note) }
    try args.preflight()
    let signals = StopSignals(who: "ssd train")
    do {
      let worker = try TrainingWorker(plan: args.plan, seed: args.training.seed, inputThreads: args.training.inputThreads,
                                      skipBadRecords: args.training.skipBadRecords)
      let coordinator = TrainingCoordinator(plan: args.plan, modelDir: args.modelDir, options: args.training, backend: worker)
      coordinator.onMilestone = FinalReport.live(modelDir: args.modelDir, raportFile: args.training.raportFile)
      coordinator.stopRequest = { signals.requested.map { StopRequest(signal: $0, receivedBy: "ssd train") } }
      try coordinator.run()
      FinalReport.write(modelDir: args.modelDir, raportFile: args.training.raportFile)
    } catch is TrainingStopped {
      FinalReport.write(modelDir: args.modelDir, raportFile: args.training.raportFile)
      throw ExitCode(TrainingStopped.exitStatus)
    } catch let error as NonFiniteLossError {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(2)
    } catch {
      // A data or file error during the run: its message, exit 1, no usage block.
      throw CommandFailure(error)
    }
  }
}
