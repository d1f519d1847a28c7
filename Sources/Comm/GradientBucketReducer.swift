import Foundation

/// Overlaps the gradient all-reduce with backward: the compute thread marks buckets of a
/// `BucketPlan` ready as backward finishes them, and the `CommThread` (the one thread that
/// calls MPI) all-reduces each bucket in plan order while later gradients are still computed.
///
/// Per step:
/// ```
/// reducer.beginStep(gradients)          // arena pointer, stable until finishStep
/// … backward …; reducer.variableReady(i) // or bucketReady(k), once per variable/bucket
/// try reducer.finishStep()              // waits; gradients now summed (averaged) over ranks
/// ```
/// After marking a bucket ready the compute thread must not touch that bucket's gradients
/// until `finishStep` returns. Buckets are always reduced in plan order (0, 1, …), whatever
/// order they are marked in, so every rank runs the same sequence of collectives.
///
/// Stall detection: before its ring, each rank sends every other rank a 16-byte presence
/// notice (step, bucket). If the ring waits longer than `stallTimeout`, the rank checks which
/// notices arrived; the ranks without one never joined the bucket. It prints
/// `CommError.stalled(bucket:step:missingRanks:…)`, aborts the job through the transport
/// (`MPI_Abort` for MPI) and throws that error from `finishStep`.
public final class GradientBucketReducer: @unchecked Sendable {
  public let plan: BucketPlan
  public let thread: CommThread
  /// Divide the sums by the world size (Horovod's averaging).
  public let average: Bool
  public let stallTimeout: Duration
  private let ring: RingAllReduce
  private let transport: Transport

  /// Tag of presence notices: the top of slot 31, which the ring collectives here never use.
  static let presenceTag = 31 * 1024 + 1023
  /// Ring tag slot of the bucket collectives.
  static let ringSlot = 1

  private let condition = NSCondition()
  private var ready: [Bool] = []
  private var remainingVariables: [Int] = []
  private var reduced = 0
  private var running = false
  private var finished = true
  private var failure: Error?
  private var step = -1

  /// `transport` must only be used on `thread` while a step runs (between `beginStep` and the
  /// end of `finishStep`).
  public init(plan: BucketPlan, transport: Transport, thread: CommThread, average: Bool = true,
              stallTimeout: Duration = .seconds(300), chunkElements: Int = 1 << 18) {
    self.plan = plan
    self.transport = transport
    self.thread = thread
    self.average = average
    self.stallTimeout = stallTimeout
    ring = RingAllReduce(transport: transport, chunkElements: chunkElements, timeout: stallTimeout)
  }

  /// Buckets of the current step already reduced (safe from any thread).
  public var reducedBucketCount: Int {
    condition.lock()
    defer { condition.unlock() }
    return reduced
  }

  /// Starts step reduction of `gradients` (the whole arena, `plan.totalCount` floats).
  /// Nothing is sent until buckets are marked ready.
  public func beginStep(_ gradients: UnsafeMutableBufferPointer<Float>) {
    precondition(gradients.count == plan.totalCount,
                 "gradient arena has \(gradients.count) floats, the bucket plan \(plan.totalCount)")
    condition.lock()
    precondition(finished, "beginStep called twice without finishStep")
    step += 1
    ready = Array(repeating: false, count: plan.buckets.count)
    remainingVariables = plan.buckets.map { $0.variables.count }
    reduced = 0
    failure = nil
    finished = false
    running = true
    let step = self.step
    condition.unlock()
    thread.async { [self] in self.reduceBuckets(gradients, step: step) }
  }

  /// Marks bucket `k`'s gradients final.
  public func bucketReady(_ k: Int) {
    condition.lock()
    precondition(running, "bucketReady outside beginStep/finishStep")
    precondition(!ready[k], "bucket \(k) marked ready twice")
    ready[k] = true
    remainingVariables[k] = 0
    condition.broadcast()
    condition.unlock()
  }

  /// Marks variable `v`'s gradient final; its bucket becomes ready with its last variable.
  public func variableReady(_ v: Int) {
    let k = plan.bucketOfVariable[v]
    condition.lock()
    precondition(running, "variableReady outside beginStep/finishStep")
    precondition(remainingVariables[k] > 0, "variable \(v) marked ready after its bucket \(k) was complete")
    remainingVariables[k] -= 1
    if remainingVariables[k] == 0 {
      ready[k] = true
      condition.broadcast()
    }
    condition.unlock()
  }

  /// Waits until every bucket is reduced; rethrows the first failure (stall, MPI error).
  /// Traps if a bucket was never marked ready.
  public func finishStep() throws {
    condition.lock()
    precondition(running, "finishStep without beginStep")
    if let missing = ready.firstIndex(of: false), failure == nil {
      condition.unlock()
      preconditionFailure("finishStep: bucket \(missing) was never marked ready")
    }
    while !finished { condition.wait() }
    running = false
    let error = failure
    condition.unlock()
    if let error { throw error }
  }

  /// One whole step at once: every bucket ready immediately (no overlap).
  public func reduceAll(_ gradients: UnsafeMutableBufferPointer<Float>) throws {
    beginStep(gradients)
    for k in plan.buckets.indices { bucketReady(k) }
    try finishStep()
  }

  // MARK: Comm thread

  private func reduceBuckets(_ gradients: UnsafeMutableBufferPointer<Float>, step: Int) {
    var error: Error?
    for bucket in plan.buckets {
      condition.lock()
      while !ready[bucket.index] { condition.wait() }
      condition.unlock()
      do {
        try reduce(bucket, gradients, step: step)
      } catch let e {
        error = e
        break
      }
      condition.lock()
      reduced += 1
      condition.broadcast()
      condition.unlock()
    }
    condition.lock()
    failure = error
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  private func reduce(_ bucket: BucketPlan.Bucket, _ gradients: UnsafeMutableBufferPointer<Float>, step: Int) throws {
    let p = transport.size, me = transport.rank
    guard p > 1 else {
      return  // Sum and average over one rank are the identity.
    }
    let others = (0..<p).filter { $0 != me }
    // Presence notices: [step, bucket] to every other rank; one slot per rank to receive.
    let notices = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * (p + 1))
    notices.initialize(repeating: UInt64.max)
    notices[2 * p] = UInt64(step)
    notices[2 * p + 1] = UInt64(bucket.index)
    var received: [Int: TransportRequest] = [:]
    var requests: [TransportRequest] = []
    defer { notices.deallocate() }
    do {
      for r in others {
        let request = try transport.postReceive(UnsafeMutableRawBufferPointer(start: notices.baseAddress! + 2 * r, count: 16),
                                                from: r, tag: Self.presenceTag)
        received[r] = request
        requests.append(request)
      }
      for r in others {
        requests.append(try transport.postSend(UnsafeRawBufferPointer(start: notices.baseAddress! + 2 * p, count: 16),
                                               to: r, tag: Self.presenceTag))
      }
      let data = UnsafeMutableBufferPointer(rebasing: gradients[bucket.range])
      do {
        try ring.allReduce(data, average: average, slot: Self.ringSlot)
      } catch CommError.timedOut(_, let silentPeer, let waited) {
        var missing: [Int] = []
        for r in others where !(try transport.test(received[r]!)) { missing.append(r) }
        for request in requests { transport.cancel(request) }
        let stall = CommError.stalled(bucket: bucket.index, step: step, missingRanks: missing,
                                          silentPeer: silentPeer, waitedSeconds: waited)
        transport.abort(reason: stall.description)
        throw stall
      }
      try transport.waitAll(requests, peers: others + others, operation: "presence notices of bucket \(bucket.index)",
                            deadline: ContinuousClock.now + stallTimeout)
      for r in others where notices[2 * r] != UInt64(step) || notices[2 * r + 1] != UInt64(bucket.index) {
        throw CommError.protocolViolation("rank \(r) announced step \(notices[2 * r]) bucket \(notices[2 * r + 1]) "
                                            + "while rank \(me) reduced step \(step) bucket \(bucket.index)")
      }
    } catch {
      for request in requests { transport.cancel(request) }
      throw error
    }
  }
}
