import Comm
import Config
import Data
import Foundation
import Model

/// One worker rank of a distributed run (`ssd worker`): world rank w+1 is worker w.
///
/// Start-up: split the world (workers get their own communicator for the ring; the
/// coordinator is alone in its part), say hello to the coordinator (host, pid, training set
/// size), check that every worker has the same variable layout (`LayoutCheck`), and
/// broadcast worker 0's initial weights and batch-norm statistics over the ring so every
/// replica starts identical. Then answer the coordinator's commands (`ControlMessage`)
/// until `shutdown`. Training steps run `TrainingWorker.step` with a `RingGradientReducer`
/// (ZeRO-1: each worker keeps and updates only its shard of the momentum).
///
/// Batch-norm moving statistics are updated by each worker from its own slice of the batch;
/// worker 0's are the ones checkpointed and, before every evaluation, copied to the other
/// workers (`syncStates`), so everything observable uses worker 0's statistics.
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

    let setup = try TrainingSetup(config: plan.config)
    let numClasses = setup.model.numClasses
    let trainSource: any SampleSource
    if case .train = plan.mode {
      trainSource = try Self.source(plan.config.trainInputReader, numClasses: numClasses, what: "train_input_reader", file: plan.config.file)
    } else {
      trainSource = InMemorySampleSource([])
    }
    let worker = TrainingWorker(setup: setup, trainSource: trainSource, seed: seed, ring: ring, thread: thread,
                                bucketBytes: options.overlapCommunication ? options.bucketBytes : nil,
                                inputThreads: inputThreads)
    worker.freezeBatchNorm = options.freezeBatchNorm
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

    var hello = WireWriter()
    hello.string(host + Self.addressSuffix())
    hello.int(Int(getpid()))
    hello.int(trainSource.count)
    hello.int(params.trainableCount)
    hello.int(params.states.count)
    try control.send(ControlMessage(.hello, argument: rank, payload: hello.bytes), to: 0)

    // Same variables and buckets everywhere, then identical starting weights.
    try thread.sync { try LayoutCheck.verify(worker.reduction.plan, ring: ring) }
    try broadcastParameters(params, ring: ring)

    var evalSource: (any SampleSource)?
    commands: while true {
      let m = try control.receive(from: 0, operation: "\(name(rank)) waiting for the coordinator's next command")
      switch m.kind {
      case .train:
        if options.testHangWorker == rank && options.testHangStep == m.step {
          print("\(name(rank)): failure drill: hanging at step \(m.step) (--test_hang_worker)")
          while true { Thread.sleep(forTimeInterval: 3600) }
        }
        var reply = WireWriter()
        do {
          let stats = try worker.step(globalStep: m.step)
          reply.bool(true)
          Self.write(stats, to: &reply)
        } catch let error as NonFiniteLossError {
          reply.bool(false)
          Self.write(error.stats, to: &reply)
        }
        reply.u64(options.checkReplicas ? ReplicaChecksum.of(params.values) : 0)
        try control.send(ControlMessage(.stepDone, step: m.step, argument: rank, payload: reply.bytes), to: 0)
      case .endPhase:
        worker.pauseInput()
      case .syncStates:
        try thread.sync { try params.states.withUnsafeMutableBufferPointer { try ring.broadcast($0, root: 0, slot: .parameters) } }
      case .getParameters:
        var w = WireWriter()
        params.values.withUnsafeBufferPointer { w.floatBuffer($0) }
        params.states.withUnsafeBufferPointer { w.floatBuffer($0) }
        try control.send(ControlMessage(.parameters, argument: rank, payload: w.bytes), to: 0)
      case .getMomentum:
        var w = WireWriter()
        worker.momentumShard.withUnsafeBufferPointer { w.floatBuffer($0) }
        try control.send(ControlMessage(.momentum, argument: rank, payload: w.bytes), to: 0)
      case .setParameters:
        var r = WireReader(m.payload, what: "setParameters for \(name(rank))")
        let values = try r.floats(), states = try r.floats()
        try r.finish()
        guard values.count == params.values.count, states.count == params.states.count else {
          throw WireError(what: r.what, reason: "\(values.count)/\(states.count) values for \(params.values.count)/\(params.states.count)")
        }
        params.values = values
        params.states = states
      case .setMomentum:
        var r = WireReader(m.payload, what: "setMomentum for \(name(rank))")
        let shard = try r.floats()
        try r.finish()
        guard shard.count == worker.shards[rank].count else {
          throw WireError(what: r.what, reason: "\(shard.count) momentum values for a shard of \(worker.shards[rank].count)")
        }
        worker.setMomentumShard(shard)
      case .evaluate:
        var r = WireReader(m.payload, what: "evaluate for \(name(rank))")
        let indices = try r.ints()
        try r.finish()
        if evalSource == nil {
          evalSource = try Self.source(plan.evaluationInputReader, numClasses: numClasses, what: "eval_input_reader", file: plan.config.file)
        }
        let images = try worker.evaluate(source: evalSource!, indices: indices, batchSize: max(1, m.argument))
        var w = WireWriter()
        w.int(images.count)
        for image in images { image.write(to: &w) }
        try control.send(ControlMessage(.evaluated, argument: rank, payload: w.bytes), to: 0)
      case .shutdown:
        break commands
      default:
        throw CommError.protocolViolation("\(name(rank)) got \(m.kind) from the coordinator")
      }
    }
    worker.pauseInput()
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

  /// Worker 0's values and states to every worker (ring broadcast).
  func broadcastParameters(_ params: ParameterStore, ring: RingAllReduce) throws {
    try thread.sync {
      try params.values.withUnsafeMutableBufferPointer { try ring.broadcast($0, root: 0, slot: .parameters) }
      try params.states.withUnsafeMutableBufferPointer { try ring.broadcast($0, root: 0, slot: .parameters) }
    }
  }

  /// Step statistics as the coordinator reads them (`DistributedStepReply`).
  static func write(_ s: StepStats, to w: inout WireWriter) {
    w.int(s.step)
    for v in [s.totalLoss, s.classificationLoss, s.localizationLoss, s.regularizationLoss, s.learningRate] { w.float(v) }
    w.int(s.images)
    w.int(s.numMatches)
    w.double(s.inputSeconds)
    w.double(s.computeSeconds)
    w.double(s.communicationSeconds)
  }

  /// The records of an input reader, decoded with its label map (as the coordinator reads them).
  public static func source(_ reader: InputReaderConfig, numClasses: Int, what: String, file: String) throws
    -> any SampleSource
  {
    let labelMap = reader.labelMapPath.isEmpty ? nil : try LabelMap(contentsOfFile: reader.labelMapPath)
    let pattern = reader.inputPaths.joined(separator: ",")
    let source = try TFRecordSampleSource(inputPath: pattern, labelMap: labelMap, numClasses: numClasses)
    guard source.count > 0 else {
      throw TrainingSetupError(file: file, field: "\(what).tf_record_input_reader.input_path",
                               message: "no records match \(pattern); check the path")
    }
    return source
  }
}
