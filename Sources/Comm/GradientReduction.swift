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
/// `communicationSeconds` is the compute thread's exposed wait in this step's collectives
/// (finish + all-gather): the one place it is measured.
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
  }

  /// Workers on `ring` (its timeout is the stall deadline), every collective run on
  /// `thread`. Every rank must use the same plan (`LayoutCheck` verifies it).
  public init(plan: BucketPlan, ring: RingAllReduce, thread: CommThread) {
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
    segments = plan.buckets.map { b in
      shards.map { s in
        let lo = min(max(s.lowerBound, b.range.lowerBound), b.range.upperBound)
        let hi = max(min(s.upperBound, b.range.upperBound), lo)
        return (lo - b.range.lowerBound)..<(hi - b.range.lowerBound)
      }
    }
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
    self.step = step
    ready = Array(repeating: false, count: plan.buckets.count)
    copied = 0
    failure = nil
    completions = []
    busyNanoseconds = 0
    exposedNanoseconds = 0
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
