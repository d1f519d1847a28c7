import Dispatch
import Foundation

/// The gradient exchange of one training step, the only one there is (ZeRO-1 over the ring):
///
/// ```
/// reduction.begin(step: s)
/// … backward: reduction.gradientsReady(from: offset, gradients: g)   // any number of times
/// let averaged = try reduction.finish(gradients: g)    // averaged[shards[rank]] = the mean over workers
/// … the optimizer updates values[shards[rank]] from averaged
/// try reduction.allGather(values, step: s)             // every worker gets every updated shard
/// ```
///
/// Reduce-scatter by buckets: as backward finalizes gradients (from `offset` to the end of
/// the arena), each complete `BucketPlan` bucket is copied into `staging` (a private
/// full-arena buffer, so the comm thread never reads the arena compute writes) and
/// reduce-scattered on the `CommThread` while backward goes on. Within bucket k, rank s
/// receives the average of `bucket ∩ shards[s]` (`RingAllReduce.reduceScatter(_:segments:)`),
/// so every element is summed by the same rank in the same order as a whole-arena
/// reduce-scatter: results do not depend on the plan or on timing. A plan of one bucket
/// (`BucketPlan.wholeArena`) is the reduce-scatter after backward (`--overlap_comm=false`),
/// the same code with nothing to overlap.
///
/// Every collective runs under the `StallDetector` with the step given here (bucket k is
/// `.bucket(k)`, the all-gather `.allGather`); a stall goes to `onStall` (default: abort the
/// job through the transport) and is thrown by `finish`/`allGather`.
///
/// One worker (`init(plan:)`): nothing is exchanged, `finish` returns the gradients
/// themselves and `allGather` does nothing.
///
/// The all-gather can instead overlap the next step's forward (`startAllGather` after the
/// update, then `awaitWeights(upTo:into:)` before each part of the network reads its weights
/// and for the whole arena before the next `begin`): the comm thread gathers the updated
/// arena into the staging buffer piece by piece in arena order (`gatherPieces`; the network
/// reads its weights in arena order), and the compute thread copies each piece into the
/// values when it first needs it. The values get the same bits either way (a gather only
/// copies), only later.
///
/// `communicationSeconds` is the compute thread's exposed wait in this step's collectives
/// (finish + all-gather, or finish + the waits for the previous step's overlapped all-gather
/// during this step's forward): the one place it is measured.
public final class GradientReduction: @unchecked Sendable {
  public let plan: BucketPlan
  public let rank: Int
  public let worldSize: Int
  /// The ZeRO-1 shards: `shards[r]` is worker r's part of the arena (`ShardLayout`).
  public let shards: [Range<Int>]
  /// Called on the comm thread with a stall report before it is thrown.
  public var onStall: (CommError) -> Void
  private let ring: RingAllReduce?
  private let thread: CommThread?
  private let stalls: StallDetector?
  /// `[plan.totalCount]` when exchanging (empty alone): after `finish`, this worker's shard
  /// holds the averaged gradients.
  private let staging: UnsafeMutableBufferPointer<Float>
  /// segments[k][s] = bucket k ∩ shards[s], relative to the bucket's start.
  private let segments: [[Range<Int>]]

  private let condition = NSCondition()
  private var ready: [Bool] = []
  private var copied = 0
  private var running = false
  private var finished = true
  private var failure: Error?
  private var completions: [UInt64] = []
  private var busyNanoseconds: UInt64 = 0
  private var exposedNanoseconds: UInt64 = 0
  private var step = -1

  /// The pieces the overlapped all-gather moves one collective at a time, in arena order.
  public let gatherPieces: [Range<Int>]
  /// gatherSegments[k][s] = gatherPieces[k] ∩ shards[s], relative to the piece's start.
  private let gatherSegments: [[Range<Int>]]
  /// Pieces whose all-gather finished (comm thread) / that were copied into the values.
  private var gathered = 0, applied = 0
  private var gatherPending = false
  private var gatherFailure: Error?
  /// Waits for an overlapped all-gather inside a step, added to the next `begin`'s count.
  private var gatherExposedNanoseconds: UInt64 = 0

  /// One worker: nothing to exchange.
  public init(plan: BucketPlan) {
    self.plan = plan
    rank = 0
    worldSize = 1
    shards = [0..<plan.totalCount]
    onStall = { _ in }
    ring = nil
    thread = nil
    stalls = nil
    staging = .init(start: nil, count: 0)
    segments = []
    gatherPieces = []
    gatherSegments = []
  }

  /// Workers on `ring` (its timeout is the stall deadline), every collective run on
  /// `thread`. Every rank must use the same plan (`LayoutCheck` verifies it).
  /// - Parameter gatherPieceElements: size of the overlapped all-gather's pieces (the last
  ///   one shorter); every rank must use the same.
  public init(plan: BucketPlan, ring: RingAllReduce, thread: CommThread, gatherPieceElements: Int = 1 << 21) {
    precondition(gatherPieceElements > 0, "gatherPieceElements must be positive")
    self.plan = plan
    self.ring = ring
    self.thread = thread
    rank = ring.rank
    worldSize = ring.size
    let shards = ShardLayout.ranges(count: plan.totalCount, parts: ring.size)
    self.shards = shards
    let transport = ring.transport
    onStall = { stall in transport.abort(.collectiveStalled, reason: stall.description) }
    stalls = StallDetector(transport: transport, timeout: ring.timeout)
    staging = .allocate(capacity: plan.totalCount)
    staging.initialize(repeating: 0)
    func cut(_ r: Range<Int>) -> [Range<Int>] {
      shards.map { s in
        let lo = min(max(s.lowerBound, r.lowerBound), r.upperBound)
        let hi = max(min(s.upperBound, r.upperBound), lo)
        return (lo - r.lowerBound)..<(hi - r.lowerBound)
      }
    }
    segments = plan.buckets.map { cut($0.range) }
    let pieces = stride(from: 0, to: plan.totalCount, by: gatherPieceElements).map {
      $0..<min($0 + gatherPieceElements, plan.totalCount)
    }
    gatherPieces = pieces
    gatherSegments = pieces.map(cut)
  }

  deinit { staging.deallocate() }

  /// True when there are other workers to exchange with.
  public var exchanges: Bool { ring != nil && worldSize > 1 }

  /// Uptime (ns, `DispatchTime`) at which each bucket's reduce-scatter finished in the
  /// current step, in plan order (filled as they complete; empty alone).
  public var completionTimes: [UInt64] {
    condition.lock()
    defer { condition.unlock() }
    return completions
  }

  /// Seconds the comm thread spent in this step's bucket collectives (overlapped or not).
  public var busySeconds: Double {
    condition.lock()
    defer { condition.unlock() }
    return Double(busyNanoseconds) / 1e9
  }

  /// Seconds the compute thread waited for this step's collectives (`finish` + `allGather`).
  public var communicationSeconds: Double {
    condition.lock()
    defer { condition.unlock() }
    return Double(exposedNanoseconds) / 1e9
  }

  /// Starts the reduction of global step `step`; buckets go out as `gradientsReady`
  /// releases them.
  public func begin(step: Int) {
    condition.lock()
    precondition(finished && !running, "GradientReduction.begin called twice without finish")
    precondition(!gatherPending, "GradientReduction.begin with an overlapped all-gather still pending: "
                 + "awaitWeights(upTo: plan.totalCount, into:) first")
    self.step = step
    ready = Array(repeating: false, count: plan.buckets.count)
    copied = 0
    failure = nil
    completions = []
    busyNanoseconds = 0
    exposedNanoseconds = gatherExposedNanoseconds
    gatherExposedNanoseconds = 0
    running = true
    finished = !exchanges
    condition.unlock()
    if exchanges { thread!.async { [self] in self.run(step: step) } }
  }

  /// Releases every bucket lying in `offset..<plan.totalCount` (whose gradients are final in
  /// `gradients`, the whole arena): copies it to the staging arena for the comm thread.
  public func gradientsReady(from offset: Int, gradients: UnsafeBufferPointer<Float>) {
    precondition(gradients.count == plan.totalCount, "gradient arena has \(gradients.count) floats, the plan \(plan.totalCount)")
    guard exchanges else { return }
    condition.lock()
    precondition(running, "gradientsReady outside begin/finish")
    var k = copied
    condition.unlock()
    while k < plan.buckets.count && plan.buckets[k].range.lowerBound >= offset {
      let r = plan.buckets[k].range
      if !r.isEmpty {
        (staging.baseAddress! + r.lowerBound).update(from: gradients.baseAddress! + r.lowerBound, count: r.count)
      }
      condition.lock()
      ready[k] = true
      copied = k + 1
      condition.broadcast()
      condition.unlock()
      k += 1
    }
  }

  /// Releases what is left and waits for every bucket; rethrows the first failure (stall,
  /// transport error). Returns the averaged arena: only `shards[rank]` is meaningful (alone:
  /// `gradients` itself). It stays valid until the next `begin`.
  public func finish(gradients: UnsafeBufferPointer<Float>) throws -> UnsafeBufferPointer<Float> {
    let t0 = DispatchTime.now().uptimeNanoseconds
    gradientsReady(from: 0, gradients: gradients)
    condition.lock()
    precondition(running, "finish without begin")
    while !finished { condition.wait() }
    running = false
    let error = failure
    if exchanges { exposedNanoseconds += DispatchTime.now().uptimeNanoseconds - t0 }
    condition.unlock()
    if let error { throw error }
    return exchanges ? UnsafeBufferPointer(staging) : gradients
  }

  /// After the shard update: every worker's `values` (the whole arena; this worker's shard
  /// updated) get every other worker's updated shard. `step` is the step given to `begin`.
  public func allGather(_ values: UnsafeMutableBufferPointer<Float>, step: Int) throws {
    precondition(values.count == plan.totalCount, "value arena has \(values.count) floats, the plan \(plan.totalCount)")
    guard exchanges, let ring, let stalls, let thread else { return }
    precondition(step == self.step, "all-gather of step \(step) after begin(step: \(self.step))")
    let t0 = DispatchTime.now().uptimeNanoseconds
    defer {
      condition.lock()
      exposedNanoseconds += DispatchTime.now().uptimeNanoseconds - t0
      condition.unlock()
    }
    let onStall = self.onStall
    try thread.sync {
      try stalls.run(.allGather, step: step, onStall: onStall) { try ring.allGather(values, slot: .gradients) }
    }
  }

  /// Sums `values` element-wise over the workers (between `finish` and `allGather`: the
  /// partial sums of the gradient-clipping norm), on the comm thread under the stall check.
  /// Exact when every sum is an integer below 2^24 (`Model.GradientSquareSum.wire`), whatever
  /// the ring's order of additions. Alone: `values` unchanged.
  public func sumOverWorkers(_ values: inout [Float], step: Int) throws {
    guard exchanges, let ring, let stalls, let thread else { return }
    precondition(step == self.step, "gradient-norm sum of step \(step) after begin(step: \(self.step))")
    let t0 = DispatchTime.now().uptimeNanoseconds
    defer {
      condition.lock()
      exposedNanoseconds += DispatchTime.now().uptimeNanoseconds - t0
      condition.unlock()
    }
    let onStall = self.onStall
    var copy = values
    try thread.sync {
      try stalls.run(.gradientNorm, step: step, onStall: onStall) { try ring.allReduce(&copy, average: false, slot: .gradients) }
    }
    values = copy
  }

  /// The overlapped form of `allGather`: after the shard update of the step given to
  /// `begin`, queues the all-gather of `values`' updated arena on the comm thread and
  /// returns at once. Until `awaitWeights` has covered an element, `values` still holds the
  /// old weights there (this worker's shard excepted); `begin` refuses to start before the
  /// whole arena is covered. Alone, does nothing.
  public func startAllGather(_ values: UnsafeBufferPointer<Float>, step: Int) {
    precondition(values.count == plan.totalCount, "value arena has \(values.count) floats, the plan \(plan.totalCount)")
    guard exchanges, let ring, let stalls, let thread else { return }
    condition.lock()
    precondition(step == self.step && finished && !running, "startAllGather of step \(step) outside its step's update")
    precondition(!gatherPending, "startAllGather twice")
    condition.unlock()
    // The staging arena is free until the next step's gradients arrive; its other shards
    // fill as the pieces are gathered.
    let own = shards[rank]
    if !own.isEmpty {
      (staging.baseAddress! + own.lowerBound).update(from: values.baseAddress! + own.lowerBound, count: own.count)
    }
    condition.lock()
    gathered = 0
    applied = 0
    gatherFailure = nil
    gatherPending = true
    condition.unlock()
    // One comm-thread job per piece, each queueing the next when it ends: whatever else the
    // process sends meanwhile (the control channel's step reply and next command run on the
    // same thread) waits for one piece, not for the whole gather.
    let onStall = self.onStall, staging = self.staging, pieces = gatherPieces, segments = gatherSegments
    func gather(_ k: Int) {
      var error: Error?
      do {
        try stalls.run(.allGather, step: step, onStall: onStall) {
          try ring.allGather(UnsafeMutableBufferPointer(rebasing: staging[pieces[k]]), segments: segments[k], slot: .gradients)
        }
      } catch let e {
        error = e
      }
      if error == nil && k + 1 < pieces.count && !thread.asyncUnlessStopping({ gather(k + 1) }) {
        error = CommError.protocolViolation("the comm thread stopped during the weight all-gather of step \(step)")
      }
      condition.lock()
      if let error { gatherFailure = error } else { gathered = k + 1 }
      condition.broadcast()
      condition.unlock()
    }
    if !pieces.isEmpty { thread.async { gather(0) } }
  }

  /// True while an overlapped all-gather has pieces not yet copied into the values.
  public var allGatherPending: Bool {
    condition.lock()
    defer { condition.unlock() }
    return gatherPending
  }

  /// Makes `values[0..<offset]` current: waits for the pieces of the overlapped all-gather
  /// (`startAllGather`) that start below `offset` and copies them into `values` (the same
  /// arena as given there). No-op when none is pending or they are already copied. The wait
  /// counts as this step's exposed communication when `inStep` (it is added at the next
  /// `begin`). Rethrows the gather's failure (stall, transport error); the values then keep
  /// the old weights outside this worker's shard and nothing is pending any more.
  public func awaitWeights(upTo offset: Int, into values: UnsafeMutableBufferPointer<Float>, inStep: Bool = true) throws {
    condition.lock()
    guard gatherPending, applied < gatherPieces.count, gatherPieces[applied].lowerBound < offset else {
      condition.unlock()
      return
    }
    precondition(values.count == plan.totalCount, "value arena has \(values.count) floats, the plan \(plan.totalCount)")
    let t0 = DispatchTime.now().uptimeNanoseconds
    defer {
      if inStep { gatherExposedNanoseconds += DispatchTime.now().uptimeNanoseconds - t0 }
      condition.unlock()
    }
    while applied < gatherPieces.count && gatherPieces[applied].lowerBound < offset {
      let k = applied
      while gathered <= k && gatherFailure == nil { condition.wait() }
      if gathered <= k, let error = gatherFailure {
        gatherPending = false
        throw error
      }
      let piece = gatherPieces[k]
      condition.unlock()
      (values.baseAddress! + piece.lowerBound).update(from: staging.baseAddress! + piece.lowerBound, count: piece.count)
      condition.lock()
      applied = k + 1
    }
    if applied == gatherPieces.count { gatherPending = false }
  }

  // MARK: Comm thread

  private func run(step: Int) {
    var error: Error?
    for bucket in plan.buckets {
      condition.lock()
      while !ready[bucket.index] { condition.wait() }
      condition.unlock()
      let t0 = DispatchTime.now().uptimeNanoseconds
      do {
        let data = UnsafeMutableBufferPointer(rebasing: staging[bucket.range])
        let segments = self.segments[bucket.index]
        try stalls!.run(.bucket(bucket.index), step: step, onStall: onStall) {
          try ring!.reduceScatter(data, segments: segments, average: true, slot: .gradients)
        }
      } catch let e {
        error = e
      }
      let t1 = DispatchTime.now().uptimeNanoseconds
      condition.lock()
      busyNanoseconds += t1 - t0
      completions.append(t1)
      condition.unlock()
      if error != nil { break }
    }
    condition.lock()
    failure = error
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
