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
    discussion: DistributedArguments.help)

  @Argument(parsing: .captureForPassthrough, help: "The same flags as ssd coordinator.")
  var arguments: [String] = []

  func run() throws {
    setvbuf(stdout, nil, _IOLBF, 0)
    let args = try DistributedArguments(arguments, command: Self.self)
    let thread = CommThread(name: "mpi")
    let world = try thread.sync { try Communicator.world() }
    let process = WorkerProcess(thread: thread, world: world, plan: args.plan, seed: args.training.seed,
                                inputThreads: args.training.inputThreads, options: args.distributed)
    do {
      try process.run()
    } catch {
      world.abort(.workerFailed, reason: "worker \(process.rank) (world rank \(world.rank)) on \(process.host): \(error)")
    }
  }
}
