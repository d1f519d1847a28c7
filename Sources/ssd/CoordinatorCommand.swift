import ArgumentParser
import Comm
import Coordinator
import Foundation
import Recipe
import Wire

/// `ssd coordinator`: world rank 0 of a distributed run. Counts steps, runs model_main.py's
/// eval_count schedule (or eval-only mode), consolidates checkpoints, logs and writes the
/// DLLogger report; the workers (`ssd worker`, same arguments) do the computing.
///
/// SIGTERM, SIGINT or SIGUSR1 (to this rank, to any worker, to mpirun through launch/run.sh):
/// the job finishes its step, writes a checkpoint, says where and exits with status 75
/// (`TrainingStopped.exitStatus`); a second signal aborts at once (`StopSignals`).
struct CoordinatorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "coordinator",
    abstract: "Distributed training: the coordinator rank (mpirun -np 1 ssd coordinator ARGS : -np N ssd worker ARGS).",
    discussion: TrainerArguments.distributedHelp)

  @Argument(parsing: .captureForPassthrough, help: "The same flags as ssd train, plus the distributed flags above.")
  var arguments: [String] = []

  func run() throws {
    let rank = try DistributedRank(arguments, role: .coordinator, command: Self.self)
    let args = rank.arguments, thread = rank.thread, world = rank.world
    let host = (try? thread.sync { try world.processorName() }) ?? "?"
    for note in args.startNotes { print(note) }
    // The checks before the first step, once, while the workers wait for the world split
    // (they build nothing before it).
    do {
      try args.preflight()
    } catch {
      world.abort(.coordinatorFailed, reason: "coordinator (world rank 0) on \(host): \(error)")
    }
    let signals = StopSignals(who: "coordinator (world rank 0) on \(host)")
    do {
      let recipe = try SSDRecipe(config: args.config)
      let backend = try DistributedBackend(thread: thread, world: world, model: recipe.model, seed: args.training.seed,
                                           perWorkerBatchSize: recipe.batchSize, options: args.distributed)
      print("coordinator (world rank 0, pid \(getpid())) on \(host): \(backend.workerCount) workers, "
            + (0..<backend.workerCount).map(backend.name).joined(separator: "; "))
      print("global batch \(backend.globalBatchSize) = \(recipe.batchSize) per worker × \(backend.workerCount); "
            + "\(backend.trainExamples) training examples; momentum sharded over the workers (ZeRO-1)"
            + "; checkpoints and evaluation use worker 0's batch-norm moving statistics"
            + (args.distributed.freezeBatchNorm ? "; batch norm frozen (test mode)" : ""))
      let coordinator = TrainingCoordinator(plan: args.plan, modelDir: args.modelDir, options: args.training,
                                            backend: backend)
      coordinator.onMilestone = FinalReport.live(modelDir: args.modelDir, raportFile: args.training.raportFile)
      // SIGTERM/SIGINT/SIGUSR1 here or at any worker: stop after the current step with a checkpoint.
      coordinator.stopRequest = {
        if let s = signals.requested { return StopRequest(signal: s, receivedBy: "the coordinator") }
        return backend.workerStopSignal.map { StopRequest(signal: $0.signal, receivedBy: backend.name($0.worker)) }
      }
      var stopped: TrainingStopped?
      do {
        try coordinator.run()
      } catch let s as TrainingStopped {
        stopped = s
      }
      if let line = DistributedStepTiming.summary(backend.timings.dropFirst(), workers: backend.workerCount) {
        print(line.replacingOccurrences(of: "timing |", with: "timing (whole run, first step excluded) |"))
      }
      try backend.shutdown()
      FinalReport.write(modelDir: args.modelDir, raportFile: args.training.raportFile)
      signals.jobEnded()
      if stopped != nil { throw ExitCode(TrainingStopped.exitStatus) }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      world.abort(.coordinatorFailed, reason: "coordinator (world rank 0) on \(host): \(error)")
    }
  }
}
