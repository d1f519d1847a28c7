import Comm
import Config
import Data
import Foundation
import Model
import Recipe
import Wire

/// One worker rank of a distributed run (`ssd worker`): world rank w+1 is worker w.
///
/// `run()` = `connect()` (split the world: the workers get their own communicator for the
/// ring, the coordinator is alone in its part; gather the workers' host names), `start()`
/// (build the `TrainingWorker`, send the coordinator a `HelloMessage`, check that every
/// worker has the same variable layout and bucket plan (`LayoutCheck`), broadcast worker 0's
/// initial weights and batch-norm statistics over the ring so every replica starts
/// identical), then `handle(_:)` each `Command` until `shutdown`, then `disconnect()`.
/// Training steps run `TrainingWorker.step` over the ring (ZeRO-1: each worker keeps and
/// updates only its shard of the momentum).
///
/// Batch-norm moving statistics are updated by each worker from its own slice of the batch;
/// worker 0's are the ones checkpointed and, before every evaluation, copied to the other
/// workers (`SyncStatesMessage`), so everything observable uses worker 0's statistics.
public final class WorkerProcess {
  public let thread: CommThread
  public let world: Communicator
  public let plan: ModelMainPlan
  public let seed: UInt64
  public let inputThreads: Int
  public let options: DistributedOptions
  /// Worker rank (world rank − 1) and host, for messages.
  public private(set) var rank = -1
  public private(set) var host = "?"
  private var hosts: [String] = []
  /// The first stop signal this rank received, if any (`ssd worker` wires its `StopSignals`
  /// here): reported to the coordinator with every step's answer, which then stops the job
  /// after that step with a checkpoint.
  public var stopSignal: () -> Int32? = { nil }

  /// What `connect()` sets up: the workers' communicator and ring, and the control channel
  /// to the coordinator (world rank 0).
  struct Connection {
    let ringComm: Communicator
    let ring: RingAllReduce
    let control: ControlChannel
  }

  public init(thread: CommThread, world: Communicator, plan: ModelMainPlan, seed: UInt64, inputThreads: Int,
              options: DistributedOptions) {
    self.thread = thread
    self.world = world
    self.plan = plan
    self.seed = seed
    self.inputThreads = inputThreads
    self.options = options
  }

  /// "worker 1 (world rank 2) on node-b"
  public func name(_ w: Int) -> String {
    "worker \(w) (world rank \(w + 1)) on \(w < hosts.count ? hosts[w] : "?")"
  }

  public func run() throws {
    let connection = try connect()
    let worker = try start(connection)
    var evalSource: (any SampleSource)?
    while true {
      // Bounded like the coordinator's wait for a reply: a coordinator that stops (SIGSTOP, a
      // hung host) is not noticed by MPI, and the workers would otherwise wait forever.
      let (header, payload) = try connection.control.receive(
        from: 0, operation: "\(name(rank)) waiting for the coordinator's next command (--reply_timeout_secs "
          + "\(options.replyTimeoutSeconds)); the coordinator (world rank 0) is stopped or hung",
        timeout: .milliseconds(Int64(options.replyTimeoutSeconds * 1000)))
      let command = try Command(kind: header.kind, payload: payload, what: "\(header.kind) for \(name(rank))")
      if command == .shutdown { break }
      try handle(command, worker: worker, connection: connection, evalSource: &evalSource)
    }
    worker.pauseInput()
    try disconnect(connection)
  }

  /// Splits the world, opens the ring and the control channel, and learns every worker's host.
  func connect() throws -> Connection {
    let world = self.world
    precondition(world.rank > 0, "world rank 0 is the coordinator; start workers after it (mpirun -np 1 coordinator : -np N worker)")
    let ringComm = try thread.sync { try world.split(color: 1, key: world.rank) }
    rank = ringComm.rank
    host = try thread.sync { try world.processorName() }
    let control = ControlChannel(transport: MPITransport(communicator: world), thread: thread)
    let ring = RingAllReduce(transport: MPITransport(communicator: ringComm), chunkElements: options.chunkElements,
                             timeout: .milliseconds(Int64(options.stallTimeoutSeconds * 1000)))
    let myHost = host
    let all = try thread.sync { try ring.gather(bytes: Array(myHost.utf8), root: 0, slot: .parameters) }
    let joined = try thread.sync {
      try ring.broadcast(bytes: Array((all ?? []).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n").utf8),
                         root: 0, slot: .parameters)
    }
    hosts = String(decoding: joined, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return Connection(ringComm: ringComm, ring: ring, control: control)
  }

  /// Builds the worker, says hello, checks the layout and makes every replica identical.
  func start(_ connection: Connection) throws -> TrainingWorker {
    let worker = try TrainingWorker(plan: plan, seed: seed, inputThreads: inputThreads, ring: connection.ring,
                                    thread: thread, bucketBytes: options.overlapCommunication ? options.bucketBytes : nil,
                                    gatherPieceElements: max(1, options.gatherPieceBytes / MemoryLayout<Float>.size))
    worker.freezeBatchNorm = options.freezeBatchNorm
    worker.overlapsWeightGather = options.overlapWeightGather
    worker.reduction.onStall = { [world, hosts, rank] stall in
      var text = "\(stall)"
      if case let .stalled(_, _, missing, silent, _) = stall {
        let names = missing.map { "worker \($0) (world rank \($0 + 1)) on \($0 < hosts.count ? hosts[$0] : "?")" }
        text += missing.isEmpty ? "; silent ring neighbour: worker \(silent) on \(silent < hosts.count ? hosts[silent] : "?")"
          : "; never joined: " + names.joined(separator: ", ")
      }
      world.abort(.collectiveStalled, reason: "worker \(rank) on \(rank < hosts.count ? hosts[rank] : "?"): \(text)")
    }
    let params = worker.parameters
    try connection.control.send(HelloMessage(worker: rank, host: host + Self.addressSuffix(), pid: Int(getpid()),
                                             trainExamples: worker.trainExamples, trainableCount: params.trainableCount,
                                             stateCount: params.states.count), to: 0)
    // Same variables and buckets everywhere, then identical starting weights.
    let ring = connection.ring
    try thread.sync { try LayoutCheck.verify(worker.reduction.plan, ring: ring) }
    try broadcast(params, states: false, ring: ring)
    return worker
  }

  /// Does what the coordinator asked; answers where the protocol says so.
  func handle(_ command: Command, worker: TrainingWorker, connection: Connection,
              evalSource: inout (any SampleSource)?) throws {
    let control = connection.control, params = worker.parameters
    // Everything but the next step reads or replaces the whole arena: the all-gather that
    // overlaps the next step's forward must have landed first.
    if case .train = command {} else { try worker.completeWeightGather() }
    switch command {
    case .train(let m):
      if options.testHangWorker == rank && options.testHangStep == m.step {
        print("\(name(rank)): failure drill: hanging at step \(m.step) (--test_hang_worker)")
        while true { Thread.sleep(forTimeInterval: 3600) }
      }
      var finite = true
      let stats: StepStats
      do {
        stats = try worker.step(globalStep: m.step)
      } catch let error as NonFiniteLossError {
        finite = false
        stats = error.stats
      }
      if options.checkReplicas { try worker.completeWeightGather() }
      let checksum = options.checkReplicas ? ReplicaChecksum.of(params.values) : 0
      try control.send(StepDoneMessage(worker: rank, finite: finite, stats: stats, checksum: checksum,
                                       stopSignal: stopSignal() ?? 0), to: 0)
    case .endPhase:
      worker.pauseInput()
    case .syncStates:
      try broadcast(params, states: true, ring: connection.ring)
    case .getParameters:
      try control.send(ParametersMessage(values: params.values, states: params.states), to: 0)
    case .getMomentum:
      try control.send(MomentumMessage(worker: rank, shard: worker.momentumShard), to: 0)
    case .setParameters(let message):
      let m = message.arenas
      guard m.values.count == params.values.count, m.states.count == params.states.count else {
        throw WireError(what: "setParameters for \(name(rank))", reason: "\(m.values.count)/\(m.states.count) values "
                          + "for \(params.values.count)/\(params.states.count)")
      }
      params.values = m.values
      params.states = m.states
    case .setMomentum(let m):
      guard m.shard.count == worker.shards[rank].count else {
        throw WireError(what: "setMomentum for \(name(rank))",
                        reason: "\(m.shard.count) momentum values for a shard of \(worker.shards[rank].count)")
      }
      worker.setMomentumShard(m.shard)
    case .evaluate(let m):
      if evalSource == nil {
        evalSource = try InputRecords(plan.evaluationInputReader, numClasses: worker.recipe.model.numClasses,
                                      what: "eval_input_reader", file: plan.config.file).source
      }
      let images = try worker.evaluate(source: evalSource!, indices: m.indices, batchSize: m.batchSize)
      try control.send(EvaluatedMessage(worker: rank, images: images), to: 0)
    case .shutdown:
      break
    }
  }

  /// Finalizes the ring communicator and MPI.
  func disconnect(_ connection: Connection) throws {
    let ringComm = connection.ringComm, world = self.world
    try thread.sync {
      try ringComm.finalize()
      try world.finalize()
    }
  }

  /// " [10.200.0.3]": this machine's non-loopback IPv4 addresses, so that mpirun's reports,
  /// which name nodes as the hostfile does (often by address), map to ranks via the banner.
  static func addressSuffix() -> String {
    var list: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&list) == 0, let first = list else { return "" }
    defer { freeifaddrs(list) }
    var out: [String] = []
    var p: UnsafeMutablePointer<ifaddrs>? = first
    while let a = p {
      defer { p = a.pointee.ifa_next }
      guard let sa = a.pointee.ifa_addr, sa.pointee.sa_family == UInt16(AF_INET),
            (a.pointee.ifa_flags & UInt32(IFF_LOOPBACK)) == 0 else { continue }
      var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      if getnameinfo(sa, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
        out.append(String(cString: host))
      }
    }
    return out.isEmpty ? "" : " [" + out.joined(separator: ", ") + "]"
  }

  /// Worker 0's values and batch-norm statistics (or the statistics only) to every worker
  /// (ring broadcast).
  func broadcast(_ params: ParameterStore, states only: Bool, ring: RingAllReduce) throws {
    try thread.sync {
      if !only { try params.values.withUnsafeMutableBufferPointer { try ring.broadcast($0, root: 0, slot: .parameters) } }
      try params.states.withUnsafeMutableBufferPointer { try ring.broadcast($0, root: 0, slot: .parameters) }
    }
  }
}
