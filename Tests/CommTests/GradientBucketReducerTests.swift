import Foundation
import Testing
@testable import Comm

/// Waits (sleeping) until `condition` holds, failing after 20 s.
func eventually(_ what: String, _ condition: () -> Bool) throws {
  let deadline = ContinuousClock.now + .seconds(20)
  while !condition() {
    if ContinuousClock.now > deadline { throw CommError.protocolViolation("gave up waiting for \(what)") }
    Thread.sleep(forTimeInterval: 0.001)
  }
}

@Test(arguments: [1, 2, 3, 4])
func bucketsAreReducedWhileLaterGradientsAreStillComputed(_ p: Int) throws {
  let counts = [7, 1, 12, 5, 3, 9, 2]
  let plan = BucketPlan(variables: layout(counts), bucketBytes: 40)  // 10 floats per bucket
  #expect(plan.buckets.count >= 3)
  let n = plan.totalCount
  let inputs = (0..<p).map { randomInput(rank: $0, n: n, seed: 9) }
  let results = try runRanks(p) { t -> [Float] in
    let thread = CommThread()
    defer { thread.stop() }
    let reducer = GradientBucketReducer(plan: plan, transport: t, thread: thread, average: true,
                                        stallTimeout: .seconds(30), chunkElements: 2)
    let arena = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
    defer { arena.deallocate() }
    for step in 0..<2 {
      _ = arena.initialize(from: inputs[t.rank])
      reducer.beginStep(arena)
      // "Backward": variables finish in reverse order; after each bucket completes, wait until
      // the comm thread has reduced it before producing the next, proving the overlap.
      for (k, bucket) in plan.buckets.enumerated() {
        for v in bucket.variables.reversed() { reducer.variableReady(v) }
        try eventually("bucket \(k) of step \(step) reduced") { reducer.reducedBucketCount == k + 1 }
      }
      try reducer.finishStep()
    }
    return Array(arena)
  }
  // Expected: the ring reference applied bucket by bucket.
  var want = [Float](repeating: 0, count: n)
  for bucket in plan.buckets {
    let part = RingAllReduce.reference(inputs.map { Array($0[bucket.range]) }, average: true)
    want.replaceSubrange(bucket.range, with: part)
  }
  for r in 0..<p { #expect(results[r].map(\.bitPattern) == want.map(\.bitPattern), "rank \(r)") }
}

@Test func readinessInAnyOrderStillReducesInPlanOrder() throws {
  let plan = BucketPlan(variables: layout([5, 5, 5, 5]), bucketBytes: 20)
  let results = try runRanks(3) { t -> [Float] in
    let thread = CommThread()
    defer { thread.stop() }
    let reducer = GradientBucketReducer(plan: plan, transport: t, thread: thread, average: false)
    var arena = rankInput(t.rank, plan.totalCount)
    try arena.withUnsafeMutableBufferPointer { buffer in
      reducer.beginStep(buffer)
      // Each rank marks buckets in a different order.
      for k in plan.buckets.indices.shuffled() { reducer.bucketReady(k) }
      try reducer.finishStep()
    }
    return arena
  }
  let want = (0..<plan.totalCount).map { i in Float((0..<3).reduce(0) { $0 + $1 * 1000 + i }) }
  for r in 0..<3 { #expect(results[r] == want) }
}

@Test func aBucketOneRankNeverJoinsIsReportedWithTheMissingRank() throws {
  let plan = BucketPlan(variables: layout([6, 6]), bucketBytes: 24)
  let started = ContinuousClock.now
  let results = InProcessWorld.run(size: 4) { t -> Void in
    if t.rank == 2 { return }  // This rank never joins the collective.
    let thread = CommThread()
    defer { thread.stop() }
    let reducer = GradientBucketReducer(plan: plan, transport: t, thread: thread, stallTimeout: .milliseconds(300))
    var arena = rankInput(t.rank, plan.totalCount)
    try arena.withUnsafeMutableBufferPointer { try reducer.reduceAll($0) }
  }
  #expect(ContinuousClock.now - started < .seconds(20))
  var stalls = 0
  for r in [0, 1, 3] {
    guard case .failure(let error) = results[r] else {
      Issue.record("rank \(r) finished a collective rank 2 never joined")
      continue
    }
    switch error {
    case CommError.stalled(let bucket, let step, let missing, _, _):
      #expect(bucket == 0 && step == 0 && missing == [2], "rank \(r): \(error)")
      stalls += 1
    case CommError.aborted:
      break  // Another rank detected the stall first and aborted the job.
    default:
      Issue.record("rank \(r): unexpected \(error)")
    }
  }
  #expect(stalls >= 1)
}

@Test func ringTimeoutNamesTheSilentNeighbour() throws {
  let results = InProcessWorld.run(size: 2) { t -> Void in
    if t.rank == 1 { return }
    var x: [Float] = [1, 2, 3]
    try RingAllReduce(transport: t, timeout: .milliseconds(100)).allReduce(&x)
  }
  guard case .failure(CommError.timedOut(let operation, let peer, _)) = results[0] else {
    Issue.record("expected a timeout, got \(results[0])")
    return
  }
  #expect(peer == 1)
  #expect(operation.contains("reduce-scatter step 0"))
}

@Test func aWaitingRankSleepsInsteadOfSpinning() throws {
  // Rank 0 waits 600 ms for rank 1; its thread's CPU time must stay well below the wall time
  // (a busy-polling wait would use ~100 %). Loose bound: a loaded machine only lowers it.
  let results = try runRanks(2) { t -> Double in
    var x: [Float] = [Float(t.rank)]
    if t.rank == 1 { Thread.sleep(forTimeInterval: 0.6) }
    var t0 = timespec(), t1 = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
    let wall = ContinuousClock.now
    try RingAllReduce(transport: t).allReduce(&x)
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
    #expect(x == [1])
    let cpu = Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9
    return cpu / (ContinuousClock.now - wall).seconds
  }
  #expect(results[0] < 0.25, "waiting rank used \(results[0] * 100) % of a core")
}
