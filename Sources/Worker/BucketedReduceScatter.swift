import Comm
import Dispatch
import Foundation

/// The overlapped ZeRO-1 reduce-scatter of one training step: as backward finalizes
/// gradients (`SSDNetwork.backward(…onGradientsReady:)`), each complete bucket of a
/// `BucketPlan` is copied into `staging` (a private full-arena buffer, so the comm thread
/// never touches `ParameterStore.gradients` while compute writes it) and reduce-scattered on
/// the `CommThread` while backward goes on with earlier layers.
///
/// Ownership is the whole-arena ZeRO-1 split (`shards`, `ShardLayout`): within bucket k,
/// rank s receives the average of `bucket.range ∩ shards[s]` (`RingAllReduce.reduceScatter(
/// _:segments:)`). Every element is therefore summed by the same rank in the same order as
/// the whole-arena reduce-scatter (((x[s+1] + x[s+2]) + …) + x[s], then ÷ p), so results are
/// bit-identical to it and independent of timing, and momentum shards and checkpoints keep
/// their meaning. The price: a bucket lying inside one shard is funnelled to one rank
/// (ring time ≈ bucket size instead of (p−1)/p of it), hidden behind backward except for
/// the last buckets.
///
/// Per step: `begin(step:)`, `gradientsReady(from:gradients:)` any number of times with
/// decreasing offsets, `finish()` (waits; `staging[shards[rank]]` then holds this worker's
/// averaged gradients). Stall detection as in `RingGradientReducer`: a 16-byte presence
/// notice (step, bucket) to every other worker before each bucket's ring; on a timeout the
/// workers whose notice never came are reported through `reducer.onStall` and the error is
/// rethrown by `finish`.
public final class BucketedReduceScatter: @unchecked Sendable {
  public let plan: BucketPlan
  public let shards: [Range<Int>]
  public let reducer: RingGradientReducer
  /// `[plan.totalCount]`: after `finish`, this worker's shard holds the averaged gradients.
  public let staging: UnsafeMutableBufferPointer<Float>
  /// segments[k][s] = bucket k ∩ shards[s], relative to the bucket's start.
  private let segments: [[Range<Int>]]
  static let presenceTag = 31 * 1024 + 1001

  private let condition = NSCondition()
  private var ready: [Bool] = []
  private var copied = 0
  private var running = false
  private var finished = true
  private var failure: Error?
  private var completions: [UInt64] = []
  private var busyNanoseconds: UInt64 = 0

  public init(plan: BucketPlan, shards: [Range<Int>], reducer: RingGradientReducer) {
    precondition(shards.count == reducer.worldSize, "\(shards.count) shards for \(reducer.worldSize) workers")
    precondition(shards.last?.upperBound == plan.totalCount, "shards cover \(shards.last?.upperBound ?? 0) of \(plan.totalCount) elements")
    self.plan = plan
    self.shards = shards
    self.reducer = reducer
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

  /// Uptime (ns, `DispatchTime`) at which each bucket's reduce-scatter finished in the last
  /// step, in plan order (filled as they complete; for measurements and the overlap test).
  public var completionTimes: [UInt64] {
    condition.lock()
    defer { condition.unlock() }
    return completions
  }

  /// Seconds the comm thread spent in this step's collectives (overlapped or not).
  public var busySeconds: Double {
    condition.lock()
    defer { condition.unlock() }
    return Double(busyNanoseconds) / 1e9
  }

  /// Starts a step; buckets are reduced as `gradientsReady` releases them.
  public func begin(step: Int) {
    condition.lock()
    precondition(finished && !running, "BucketedReduceScatter.begin called twice without finish")
    ready = Array(repeating: false, count: plan.buckets.count)
    copied = 0
    failure = nil
    finished = false
    running = true
    completions = []
    busyNanoseconds = 0
    condition.unlock()
    reducer.thread.async { [self] in self.run(step: step) }
  }

  /// Releases every bucket lying in `offset..<plan.totalCount` (whose gradients are final in
  /// `gradients`, the full arena): copies it to `staging` and hands it to the comm thread.
  public func gradientsReady(from offset: Int, gradients: UnsafeBufferPointer<Float>) {
    precondition(gradients.count == plan.totalCount, "gradient arena has \(gradients.count) floats, the plan \(plan.totalCount)")
    condition.lock()
    precondition(running, "gradientsReady outside begin/finish")
    var k = copied
    condition.unlock()
    while k < plan.buckets.count && plan.buckets[k].range.lowerBound >= offset {
      let r = plan.buckets[k].range
      (staging.baseAddress! + r.lowerBound).update(from: gradients.baseAddress! + r.lowerBound, count: r.count)
      condition.lock()
      ready[k] = true
      copied = k + 1
      condition.broadcast()
      condition.unlock()
      k += 1
    }
  }

  /// Releases what is left, waits for every bucket, rethrows the first failure.
  public func finish(gradients: UnsafeBufferPointer<Float>) throws {
    gradientsReady(from: 0, gradients: gradients)
    condition.lock()
    while !finished { condition.wait() }
    running = false
    let error = failure
    condition.unlock()
    if let error { throw error }
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
        try reduce(bucket, step: step)
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

  private func reduce(_ bucket: BucketPlan.Bucket, step: Int) throws {
    let ring = reducer.ring, transport = ring.transport
    let p = transport.size, me = transport.rank
    guard p > 1 else { return }
    let others = (0..<p).filter { $0 != me }
    var notices = [UInt64](repeating: UInt64.max, count: 2 * (p + 1))
    notices[2 * p] = UInt64(step)
    notices[2 * p + 1] = UInt64(bucket.index)
    let data = UnsafeMutableBufferPointer(rebasing: staging[bucket.range])
    let segs = segments[bucket.index]
    try notices.withUnsafeMutableBufferPointer { nb in
      let base = nb.baseAddress!
      var received: [Int: TransportRequest] = [:]
      var requests: [TransportRequest] = []
      do {
        for r in others {
          let q = try transport.postReceive(UnsafeMutableRawBufferPointer(start: base + 2 * r, count: 16), from: r,
                                            tag: Self.presenceTag)
          received[r] = q
          requests.append(q)
        }
        for r in others {
          requests.append(try transport.postSend(UnsafeRawBufferPointer(start: base + 2 * p, count: 16), to: r,
                                                 tag: Self.presenceTag))
        }
        do {
          try ring.reduceScatter(data, segments: segs, average: true, slot: RingGradientReducer.ringSlot)
        } catch CommError.timedOut(_, let silent, let waited) {
          var missing: [Int] = []
          for r in others where !(try transport.test(received[r]!)) { missing.append(r) }
          let stall = CommError.stalled(bucket: bucket.index, step: step, missingRanks: missing, silentPeer: silent,
                                        waitedSeconds: waited)
          reducer.onStall?(stall)
          throw stall
        }
        try transport.waitAll(requests, peers: others + others, operation: "presence notices of step \(step) bucket \(bucket.index)",
                              deadline: ContinuousClock.now + reducer.stallTimeout)
      } catch {
        for q in requests { transport.cancel(q) }
        throw error
      }
      for r in others where base[2 * r] != UInt64(step) || base[2 * r + 1] != UInt64(bucket.index) {
        throw CommError.protocolViolation("worker \(r) announced step \(base[2 * r]) bucket \(base[2 * r + 1]) "
                                            + "while worker \(me) reduced step \(step) bucket \(bucket.index)")
      }
    }
  }
}
