import Comm
import Data
import Dispatch
import Foundation
import Model
import Wire

/// The coordinator's side of a distributed run: a `TrainingBackend` whose work happens on N
/// worker ranks (world ranks 1…N), driven with `Wire` messages over the world communicator.
///
/// - `trainStep`: every worker runs the step (ring reduce-scatter, ZeRO-1 shard update,
///   all-gather); the coordinator averages their losses in worker order and records the
///   step's wall time split into compute, exposed communication and input wait.
/// - `currentParameters()`: a local copy, refreshed from worker 0 (values and batch-norm
///   statistics: worker 0's, see `WorkerProcess`) when a step ran since the last fetch;
///   `updateParameters` changes that copy and sends it to every worker.
/// - `fullMomentum`/`setFullMomentum`: the shards gathered in rank order / cut with the
///   current `ShardLayout`, so a checkpoint written by W workers resumes on any number.
/// - `evaluate`: worker 0's batch-norm statistics are copied to all workers, then each infers
///   a contiguous share of the indices; results come back in index order.
///
/// The coordinator waits with `Backoff` polling (a few percent of a core). A worker that does
/// not answer within `replyTimeout` makes it abort the job naming that worker and its host.
public final class DistributedBackend: TrainingBackend {
  public let thread: CommThread
  public let world: Communicator
  public let control: ControlChannel
  public let options: DistributedOptions
  public let workerCount: Int
  /// Host of each worker (from its hello).
  public private(set) var hosts: [String] = []
  public private(set) var pids: [Int] = []
  /// Training examples the workers index (every worker reports the same count).
  public private(set) var trainExamples = 0
  /// Per-worker `batch_size` × workers.
  public let globalBatchSize: Int
  public let network: SSDNetwork
  public let shards: [Range<Int>]
  /// Per-step timings of the run so far.
  public private(set) var timings: [DistributedStepTiming] = []
  private var phaseStart = 0
  private var stale = false
  private let ownComm: Communicator
  private let replyTimeout: Duration

  /// Collective with the workers' start-up: splits the world, then reads every hello.
  /// `model`/`seed` must be the workers' (the local copy starts equal to theirs).
  public init(thread: CommThread, world: Communicator, model: SSDConfig, seed: UInt64, perWorkerBatchSize: Int,
              options: DistributedOptions) throws {
    precondition(world.rank == 0, "the coordinator must be world rank 0 (mpirun -np 1 coordinator : -np N worker)")
    self.thread = thread
    self.world = world
    self.options = options
    workerCount = world.size - 1
    globalBatchSize = perWorkerBatchSize * workerCount
    guard workerCount >= 1 else {
      throw CommError.protocolViolation("the MPI world has only the coordinator; start workers too: "
                                          + "mpirun -np 1 ssd coordinator ARGS : -np N ssd worker ARGS")
    }
    replyTimeout = .milliseconds(Int64(options.replyTimeoutSeconds * 1000))
    ownComm = try thread.sync { try world.split(color: 0, key: 0) }
    control = ControlChannel(transport: MPITransport(communicator: world), thread: thread)
    network = SSDNetwork(config: model, seed: seed)
    shards = ShardLayout.ranges(count: network.params.trainableCount, parts: workerCount)
    for w in 0..<workerCount {
      let hello = try control.receive(HelloMessage.self, from: w + 1, operation: "waiting for worker \(w)'s hello",
                                      timeout: replyTimeout, what: "hello from world rank \(w + 1)")
      hosts.append(hello.host)
      pids.append(hello.pid)
      guard hello.worker == w else {
        throw DistributedError("world rank \(w + 1) on \(hello.host) says it is worker \(hello.worker), expected \(w)")
      }
      if w == 0 { trainExamples = hello.trainExamples }
      guard hello.trainExamples == trainExamples else {
        throw DistributedError("worker \(w) on \(hosts[w]) sees \(hello.trainExamples) training examples, worker 0 "
                                             + "\(trainExamples): every worker must read the same train_input_reader files")
      }
      guard hello.trainableCount == network.params.trainableCount, hello.stateCount == network.params.states.count else {
        throw DistributedError("worker \(w) on \(hosts[w]) has \(hello.trainableCount) trainable and \(hello.stateCount) state "
          + "values, the coordinator \(network.params.trainableCount) and \(network.params.states.count): start every "
          + "rank with the same pipeline config and binary")
      }
    }
  }

  /// "worker 1 (world rank 2, pid 123) on node-b"
  public func name(_ w: Int) -> String {
    "worker \(w) (world rank \(w + 1), pid \(w < pids.count ? pids[w] : -1)) on \(w < hosts.count ? hosts[w] : "?")"
  }

  private func sendAll<M: WireMessage>(_ message: M) throws {
    for w in 0..<workerCount { try control.send(message, to: w + 1) }
  }

  /// Worker `w`'s answer of type `M`; a silent worker or a wrong answer is a `DistributedError`
  /// naming it.
  private func reply<M: WireMessage>(_: M.Type, from w: Int, during what: String) throws -> M {
    do {
      return try control.receive(M.self, from: w + 1, operation: "\(what): waiting for \(name(w))", timeout: replyTimeout,
                                 what: "\(M.kind) from \(name(w)) during \(what)")
    } catch let error as CommError {
      throw DistributedError("\(error)")
    }
  }

  // MARK: TrainingBackend

  public func currentParameters() throws -> ParameterStore {
    if stale { try fetchParameters() }
    return network.params
  }

  public func updateParameters(_ body: (ParameterStore) throws -> Void) throws {
    let p = try currentParameters()
    try body(p)
    try sendAll(SetParametersMessage(values: p.values, states: p.states))
  }

  /// Worker 0's values and batch-norm statistics into the local copy.
  func fetchParameters() throws {
    try control.send(GetParametersMessage(), to: 1)
    let m = try reply(ParametersMessage.self, from: 0, during: "gathering the weights").arenas
    let p = network.params
    guard m.values.count == p.values.count, m.states.count == p.states.count else {
      throw DistributedError("\(name(0)) sent \(m.values.count)/\(m.states.count) weights/statistics for "
                               + "\(p.values.count)/\(p.states.count)")
    }
    p.values = m.values
    p.states = m.states
    stale = false
  }


  public func trainStep(globalStep: Int) throws -> StepStats {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try sendAll(TrainMessage(step: globalStep))
    var replies: [StepDoneMessage] = []
    for w in 0..<workerCount {
      let m = try reply(StepDoneMessage.self, from: w, during: "step \(globalStep)")
      guard m.worker == w, m.stats.step == globalStep else {
        throw DistributedError("\(name(w)) answered step \(globalStep) as worker \(m.worker) for step \(m.stats.step)")
      }
      replies.append(m)
    }
    stale = true
    let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    if let bad = replies.firstIndex(where: { !$0.finite }) {
      throw NonFiniteLossError(stats: replies[bad].stats)
    }
    if options.checkReplicas, Set(replies.map(\.checksum)).count > 1 {
      let list = replies.enumerated().map { "\(name($0.offset)): \(String($0.element.checksum, radix: 16))" }
      throw DistributedError("the workers' weights differ after step \(globalStep) (checksums "
        + list.joined(separator: ", ") + "); the replicas diverged: report this with the command line")
    }
    // The critical path is the worker with the most compute: its collective time is what
    // communication adds on top (the others' includes waiting for it).
    let slowest = replies.indices.max {
      replies[$0].stats.computeSeconds - replies[$0].stats.communicationSeconds
        < replies[$1].stats.computeSeconds - replies[$1].stats.communicationSeconds
    }!
    let s = replies[slowest]
    timings.append(DistributedStepTiming(step: globalStep, wallSeconds: wall,
                                         computeSeconds: s.stats.computeSeconds - s.stats.communicationSeconds,
                                         communicationSeconds: s.stats.communicationSeconds, inputSeconds: s.stats.inputSeconds))
    return Self.average(replies.map(\.stats))
  }

  /// Losses averaged over workers (in worker order: deterministic), images and matches summed.
  static func average(_ all: [StepStats]) -> StepStats {
    var s = all[0]
    let n = Float(all.count)
    func mean(_ k: KeyPath<StepStats, Float>) -> Float { all.map { $0[keyPath: k] }.reduce(0, +) / n }
    s.totalLoss = mean(\.totalLoss)
    s.classificationLoss = mean(\.classificationLoss)
    s.localizationLoss = mean(\.localizationLoss)
    s.regularizationLoss = mean(\.regularizationLoss)
    s.images = all.map(\.images).reduce(0, +)
    s.numMatches = all.map(\.numMatches).reduce(0, +)
    s.inputSeconds = all.map(\.inputSeconds).max()!
    s.computeSeconds = all.map(\.computeSeconds).max()!
    return s
  }

  public func endTrainingPhase() {
    do {
      try sendAll(EndPhaseMessage())
    } catch {
      world.abort(.workersUnreachable, reason: "coordinator: cannot reach the workers at the end of a training phase: \(error)")
    }
    if let line = DistributedStepTiming.summary(timings[phaseStart...].dropFirst(), workers: workerCount) { print(line) }
    phaseStart = timings.count
  }

  public func fullMomentum() throws -> [Float] {
    try sendAll(GetMomentumMessage())
    var out: [Float] = []
    out.reserveCapacity(network.params.trainableCount)
    for w in 0..<workerCount {
      let m = try reply(MomentumMessage.self, from: w, during: "gathering the momentum shards")
      guard m.worker == w, m.shard.count == shards[w].count else {
        throw DistributedError("\(name(w)) sent worker \(m.worker)'s \(m.shard.count) momentum values for a shard of "
                                 + "\(shards[w].count)")
      }
      out.append(contentsOf: m.shard)
    }
    return out
  }

  public func setFullMomentum(_ values: [Float]) throws {
    precondition(values.count == network.params.trainableCount,
                 "momentum has \(values.count) values for \(network.params.trainableCount)")
    for w in 0..<workerCount { try control.send(SetMomentumMessage(shard: Array(values[shards[w]])), to: w + 1) }
  }

  public func evaluate(source: any SampleSource, indices: [Int], batchSize: Int) throws -> [EvaluatedImage] {
    try sendAll(SyncStatesMessage())
    let parts = ShardLayout.ranges(count: indices.count, parts: workerCount)
    for w in 0..<workerCount {
      try control.send(EvaluateMessage(batchSize: max(1, batchSize), indices: Array(indices[parts[w]])), to: w + 1)
    }
    var out: [EvaluatedImage] = []
    out.reserveCapacity(indices.count)
    for w in 0..<workerCount {
      let m = try reply(EvaluatedMessage.self, from: w, during: "evaluation")
      guard m.worker == w, m.images.count == parts[w].count else {
        throw DistributedError("\(name(w)) sent \(m.images.count) evaluation results for a share of \(parts[w].count)")
      }
      out.append(contentsOf: m.images)
    }
    return out
  }

  /// Tells every worker to finish, then finalizes MPI.
  public func shutdown() throws {
    try sendAll(ShutdownMessage())
    let own = ownComm, world = self.world
    try thread.sync {
      try own.finalize()
      try world.finalize()
    }
  }
}
