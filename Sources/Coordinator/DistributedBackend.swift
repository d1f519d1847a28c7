import Comm
import Data
import Dispatch
import Foundation
import Model
import Worker

/// The coordinator's side of a distributed run: a `TrainingBackend` whose work happens on N
/// worker ranks (world ranks 1…N), driven with `ControlMessage`s over the world communicator.
///
/// - `trainStep`: every worker runs the step (ring reduce-scatter, ZeRO-1 shard update,
///   all-gather); the coordinator averages their losses in worker order and records the
///   step's wall time split into compute, exposed communication and input wait.
/// - `parameters`: a local copy, refreshed from worker 0 (values and batch-norm statistics:
///   worker 0's, see `WorkerProcess`) the first time it is read after a step.
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
  public init(thread: CommThread, world: Communicator, model: SSDConfig, seed: UInt64,
              options: DistributedOptions) throws {
    precondition(world.rank == 0, "the coordinator must be world rank 0 (mpirun -np 1 coordinator : -np N worker)")
    self.thread = thread
    self.world = world
    self.options = options
    workerCount = world.size - 1
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
      let m = try control.expect(.hello, from: w + 1, operation: "waiting for worker \(w)'s hello", timeout: replyTimeout)
      var r = WireReader(m.payload, what: "hello from world rank \(w + 1)")
      hosts.append(try r.string())
      pids.append(try r.int())
      let examples = try r.int(), trainable = try r.int(), states = try r.int()
      try r.finish()
      if w == 0 { trainExamples = examples }
      guard examples == trainExamples else {
        throw DistributedError("worker \(w) on \(hosts[w]) sees \(examples) training examples, worker 0 "
                                             + "\(trainExamples): every worker must read the same train_input_reader files")
      }
      guard trainable == network.params.trainableCount, states == network.params.states.count else {
        throw DistributedError("worker \(w) on \(hosts[w]) has \(trainable) trainable and \(states) state "
          + "values, the coordinator \(network.params.trainableCount) and \(network.params.states.count): start every "
          + "rank with the same pipeline config and binary")
      }
    }
  }

  /// "worker 1 (world rank 2, pid 123) on node-b"
  public func name(_ w: Int) -> String {
    "worker \(w) (world rank \(w + 1), pid \(w < pids.count ? pids[w] : -1)) on \(w < hosts.count ? hosts[w] : "?")"
  }

  private func sendAll(_ message: ControlMessage) throws {
    for w in 0..<workerCount { try control.send(message, to: w + 1) }
  }

  private func reply(_ kind: ControlMessage.Kind, from w: Int, during what: String) throws -> ControlMessage {
    do {
      return try control.expect(kind, from: w + 1, operation: "\(what): waiting for \(name(w))", timeout: replyTimeout)
    } catch let error as CommError {
      throw DistributedError("\(error)")
    }
  }

  // MARK: TrainingBackend

  public var parameters: ParameterStore {
    if stale {
      do {
        try fetchParameters()
      } catch {
        world.abort(.workersUnreachable, reason: "coordinator: cannot fetch the weights from \(name(0)): \(error)")
      }
    }
    return network.params
  }

  func fetchParameters() throws {
    try control.send(ControlMessage(.getParameters), to: 1)
    let m = try reply(.parameters, from: 0, during: "gathering the weights")
    var r = WireReader(m.payload, what: "weights from \(name(0))")
    let values = try r.floats(), states = try r.floats()
    try r.finish()
    let p = network.params
    guard values.count == p.values.count, states.count == p.states.count else {
      throw WireError(what: r.what, reason: "\(values.count)/\(states.count) values for \(p.values.count)/\(p.states.count)")
    }
    p.values = values
    p.states = states
    stale = false
  }

  public func trainStep(globalStep: Int) throws -> StepStats {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try sendAll(ControlMessage(.train, step: globalStep))
    var replies: [DistributedStepReply] = []
    for w in 0..<workerCount {
      let m = try reply(.stepDone, from: w, during: "step \(globalStep)")
      replies.append(try DistributedStepReply(m, from: w))
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
      replies[$0].stats.computeSeconds - replies[$0].communicationSeconds
        < replies[$1].stats.computeSeconds - replies[$1].communicationSeconds
    }!
    let s = replies[slowest]
    timings.append(DistributedStepTiming(step: globalStep, wallSeconds: wall,
                                         computeSeconds: s.stats.computeSeconds - s.communicationSeconds,
                                         communicationSeconds: s.communicationSeconds, inputSeconds: s.stats.inputSeconds))
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
      try sendAll(ControlMessage(.endPhase))
    } catch {
      world.abort(.workersUnreachable, reason: "coordinator: cannot reach the workers at the end of a training phase: \(error)")
    }
    if let line = DistributedStepTiming.summary(timings[phaseStart...].dropFirst(), workers: workerCount) { print(line) }
    phaseStart = timings.count
  }

  public func fullMomentum() throws -> [Float] {
    try sendAll(ControlMessage(.getMomentum))
    var out: [Float] = []
    out.reserveCapacity(network.params.trainableCount)
    for w in 0..<workerCount {
      let m = try reply(.momentum, from: w, during: "gathering the momentum shards")
      var r = WireReader(m.payload, what: "momentum shard from \(name(w))")
      let shard = try r.floats()
      try r.finish()
      guard shard.count == shards[w].count else {
        throw WireError(what: r.what, reason: "\(shard.count) values for a shard of \(shards[w].count)")
      }
      out.append(contentsOf: shard)
    }
    return out
  }

  public func setFullMomentum(_ values: [Float]) throws {
    precondition(values.count == network.params.trainableCount,
                 "momentum has \(values.count) values for \(network.params.trainableCount)")
    for w in 0..<workerCount {
      var wr = WireWriter()
      values[shards[w]].withUnsafeBufferPointer { wr.floatBuffer($0) }
      try control.send(ControlMessage(.setMomentum, payload: wr.bytes), to: w + 1)
    }
  }

  public func parametersDidChange() throws {
    let p = network.params
    var wr = WireWriter()
    p.values.withUnsafeBufferPointer { wr.floatBuffer($0) }
    p.states.withUnsafeBufferPointer { wr.floatBuffer($0) }
    try sendAll(ControlMessage(.setParameters, payload: wr.bytes))
    stale = false
  }

  public func evaluate(source: any SampleSource, indices: [Int], batchSize: Int) throws -> [EvaluatedImage] {
    try sendAll(ControlMessage(.syncStates))
    let parts = ShardLayout.ranges(count: indices.count, parts: workerCount)
    for w in 0..<workerCount {
      var wr = WireWriter()
      wr.ints(indices[parts[w]])
      try control.send(ControlMessage(.evaluate, argument: batchSize, payload: wr.bytes), to: w + 1)
    }
    var out: [EvaluatedImage] = []
    out.reserveCapacity(indices.count)
    for w in 0..<workerCount {
      let m = try reply(.evaluated, from: w, during: "evaluation")
      var r = WireReader(m.payload, what: "evaluation results from \(name(w))")
      let n = try r.int()
      guard n == parts[w].count else { throw WireError(what: r.what, reason: "\(n) images for a share of \(parts[w].count)") }
      for _ in 0..<n { out.append(try EvaluatedImage.read(from: &r)) }
      try r.finish()
    }
    return out
  }

  /// Tells every worker to finish, then finalizes MPI.
  public func shutdown() throws {
    try sendAll(ControlMessage(.shutdown))
    let own = ownComm, world = self.world
    try thread.sync {
      try own.finalize()
      try world.finalize()
    }
  }
}
