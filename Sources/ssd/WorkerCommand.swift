import ArgumentParser
import Comm
import Foundation
import Worker

/// `ssd worker`: one training rank of a distributed run (world ranks 1…N); takes the same
/// arguments as `ssd coordinator` and answers its commands (see `WorkerProcess`).
struct WorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Distributed training: a worker rank (started by mpirun next to ssd coordinator).",
    discussion: TrainerArguments.distributedHelp)

  @Argument(parsing: .captureForPassthrough, help: "The same flags as ssd coordinator.")
  var arguments: [String] = []

  func run() throws {
    let rank = try DistributedRank(arguments, role: .worker, command: Self.self)
    let args = rank.arguments
    // A stop signal is passed to the coordinator with the next step's answer; this rank then
    // goes on until the coordinator shuts the job down (a second signal aborts it).
    let signals = StopSignals(who: "worker (world rank \(rank.world.rank))")
    let process = WorkerProcess(thread: rank.thread, world: rank.world, plan: args.plan, seed: args.training.seed,
                                inputThreads: args.training.inputThreads, options: args.distributed)
    process.stopSignal = { signals.requested }
    do {
      try process.run()
      signals.jobEnded()
    } catch {
      rank.world.abort(.workerFailed, reason: "worker \(process.rank) (world rank \(rank.world.rank)) on \(process.host): \(error)")
    }
  }
}
