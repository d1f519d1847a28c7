import ArgumentParser
import Comm
import Foundation

/// What both distributed roles do first: parse the shared command line, check that mpirun
/// started this process in the right place of the world, start the MPI thread and make the
/// world communicator on it. Started any other way (no mpirun, a world of one, the wrong
/// rank) it says in one line how to launch, instead of trapping.
struct DistributedRank {
  enum Role: String {
    case coordinator, worker
  }

  let arguments: TrainerArguments
  let thread: CommThread
  let world: Communicator

  static func launchLine(_ role: Role) -> String {
    "ssd \(role.rawValue) is one rank of a distributed job; start it with mpirun next to the other role: "
      + "mpirun -np 1 ssd coordinator ARGS : -np N ssd worker ARGS (launch/ has scripts; as root add "
      + "--allow-run-as-root), or run ssd train ARGS for one process"
  }

  init(_ arguments: [String], role: Role, command: ParsableCommand.Type) throws {
    setvbuf(stdout, nil, _IOLBF, 0)
    var parsed = try TrainerArguments(arguments, role: .distributed, command: command)
    guard Communicator.launchedByMPIRun else { throw CommandFailure(Self.launchLine(role)) }
    thread = CommThread(name: "mpi")
    world = try thread.sync { try Communicator.world() }
    let world = self.world
    if world.size < 2 {
      try? thread.sync { try world.finalize() }
      throw CommandFailure("the MPI world has \(world.size) rank; " + Self.launchLine(role))
    }
    switch role {
    case .coordinator where world.rank != 0:
      world.abort(.coordinatorFailed, reason: "ssd coordinator runs as world rank \(world.rank), but it must be world "
                    + "rank 0: put it first, mpirun -np 1 ssd coordinator ARGS : -np N ssd worker ARGS")
    case .worker where world.rank == 0:
      world.abort(.workerFailed, reason: "ssd worker runs as world rank 0, which is the coordinator's: "
                    + "mpirun -np 1 ssd coordinator ARGS : -np N ssd worker ARGS")
    default:
      break
    }
    // --global_batch_size splits over the workers (world minus the coordinator).
    try parsed.splitBatch(workers: world.size - 1)
    self.arguments = parsed
  }
}
