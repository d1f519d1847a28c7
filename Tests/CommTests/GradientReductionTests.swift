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

/// One training exchange of `arena` on rank `t`: buckets released by `release` (offsets, in
/// call order), then finish, this rank's averaged shard copied in, all-gather. Returns the
/// arena, which should then be the ring average of every rank's input.
func exchange(_ reduction: GradientReduction, _ arena: inout [Float], step: Int,
              release: (UnsafeBufferPointer<Float>) throws -> Void = { _ in }) throws {
  let shard = reduction.shards[reduction.rank]
  reduction.begin(step: step)
  try arena.withUnsafeMutableBufferPointer { a in
    try release(UnsafeBufferPointer(a))
    let averaged = try reduction.finish(gradients: UnsafeBufferPointer(a))
    for i in shard { a[i] = averaged[i] }
    try reduction.allGather(a, step: step)
  }
}

/// Buckets released during a simulated backward are reduce-scattered on the comm thread
/// before the next is produced (overlap), and the result — reduce-scatter onto the ZeRO-1
/// shards, all-gather — is bit-identical to the ring reference, for 1–4 ranks and 2 steps.
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
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, chunkElements: 2, timeout: .seconds(30)),
                                      thread: thread)
    var arena: [Float] = []
    for step in 0..<2 {
      arena = inputs[t.rank]
      try exchange(reduction, &arena, step: step) { g in
        // "Backward": buckets finish in plan order; after each, wait until the comm thread
        // has reduced it before producing the next, proving the overlap.
        for (k, bucket) in plan.buckets.enumerated() {
          reduction.gradientsReady(from: bucket.range.lowerBound, gradients: g)
          if p > 1 { try eventually("bucket \(k) of step \(step) reduced") { reduction.completionTimes.count == k + 1 } }
        }
      }
    }
    return arena
  }
  let want = RingAllReduce.reference(inputs, average: true)
  for r in 0..<p { #expect(results[r].map(\.bitPattern) == want.map(\.bitPattern), "rank \(r)") }
}

/// Ranks that release their buckets in different patterns (any offsets, repeated, out of
/// order) still reduce them in plan order and agree.
@Test func releasesInAnyPatternStillReduceInPlanOrder() throws {
  let plan = BucketPlan(variables: layout([5, 5, 5, 5]), bucketBytes: 20)
  let results = try runRanks(3) { t -> [Float] in
    let thread = CommThread()
    defer { thread.stop() }
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, timeout: .seconds(30)), thread: thread)
    var arena = rankInput(t.rank, plan.totalCount).map { $0 * 3 }  // ÷ 3 is exact
    try exchange(reduction, &arena, step: 0) { g in
      for offset in [15, 5, 10, 17, 0, 20].shuffled() { reduction.gradientsReady(from: offset, gradients: g) }
    }
    return arena
  }
  let want = (0..<plan.totalCount).map { i in Float((0..<3).reduce(0) { $0 + $1 * 1000 + i }) }
  for r in 0..<3 { #expect(results[r] == want) }
}

/// Reduce-scatter leaves each rank the ring's average on exactly its `ShardLayout` shard;
/// the all-gather reassembles the shards (world sizes 1–5, lengths 0, 1, fewer than ranks).
@Test(arguments: [1, 2, 3, 4, 5])
func reduceScatterAveragesEachShardAndAllGatherReassembles(worldSize p: Int) throws {
  for n in [0, 1, p - 1, 7, 23] {
    let plan = BucketPlan(variables: layout([n]), bucketBytes: 1 << 20)
    let shards = ShardLayout.ranges(count: n, parts: p)
    let input = { (rank: Int) in (0..<n).map { Float(rank * 1000 + $0) * 0.37 } }
    let want = RingAllReduce.reference((0..<p).map(input), average: true)
    let results = InProcessWorld.run(size: p) { t -> ([Float], [Float]) in
      let thread = CommThread()
      defer { thread.stop() }
      let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, chunkElements: 3, timeout: .seconds(20)),
                                        thread: thread)
      #expect(reduction.shards == shards)
      let g = input(t.rank)
      reduction.begin(step: 0)
      let own = try g.withUnsafeBufferPointer { Array(try reduction.finish(gradients: $0)[shards[t.rank]]) }
      var v = [Float](repeating: -1, count: n)
      for i in shards[t.rank] { v[i] = Float(i) + 0.5 }
      try v.withUnsafeMutableBufferPointer { try reduction.allGather($0, step: 0) }
      return (own, v)
    }
    for r in 0..<p {
      let (own, gathered) = try results[r].get()
      #expect(own == Array(want[shards[r]]), "p \(p) n \(n) rank \(r): shard not the ring average")
      #expect(gathered == (0..<n).map { Float($0) + 0.5 }, "p \(p) n \(n) rank \(r): all-gather")
    }
  }
}

/// A rank that never joins is named in the stall report (by the default handler, which
/// aborts the in-process job, or by a handler that only records).
@Test(arguments: [true, false])
func aRankThatNeverJoinsIsReportedWithTheMissingRank(abortJob: Bool) throws {
  let plan = BucketPlan(variables: layout([6, 6]), bucketBytes: 24)
  let reports = NSLock()
  var recorded: [CommError] = []
  let started = ContinuousClock.now
  let results = InProcessWorld.run(size: 4) { t -> Void in
    if t.rank == 2 { return }  // This rank never joins the collective.
    let thread = CommThread()
    defer { thread.stop() }
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, timeout: .milliseconds(300)),
                                      thread: thread)
    if !abortJob { reduction.onStall = { e in reports.lock(); recorded.append(e); reports.unlock() } }
    var arena = rankInput(t.rank, plan.totalCount)
    try exchange(reduction, &arena, step: 0)
  }
  #expect(ContinuousClock.now - started < .seconds(20))
  var stalls = recorded.count
  for r in [0, 1, 3] {
    guard case .failure(let error) = results[r] else {
      Issue.record("rank \(r) finished a collective rank 2 never joined")
      continue
    }
    switch error {
    case CommError.stalled(let collective, let step, let missing, _, _):
      #expect(collective == .bucket(0) && step == 0 && missing == [2], "rank \(r): \(error)")
      if abortJob { stalls += 1 }
    case CommError.aborted:
      #expect(abortJob, "rank \(r): aborted although no handler aborts")
    default:
      Issue.record("rank \(r): unexpected \(error)")
    }
  }
  #expect(stalls >= 1)
  for s in recorded {
    guard case let .stalled(collective, step, missing, _, _) = s else { Issue.record("unexpected \(s)"); continue }
    #expect(collective == .bucket(0) && step == 0 && missing == [2], "\(s)")
  }
}

/// The stall report names the collective and the step given to `begin`, not a count of
/// the reduction's own calls: a rank that never joins step 7's all-gather is named there.
@Test func anAllGatherStallNamesTheStep() throws {
  let plan = BucketPlan(variables: layout([6]), bucketBytes: 1 << 10)
  let reports = NSLock()
  var recorded: [CommError] = []
  let results = InProcessWorld.run(size: 3) { t -> Void in
    let thread = CommThread()
    defer { thread.stop() }
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, timeout: .milliseconds(300)),
                                      thread: thread)
    reduction.onStall = { e in reports.lock(); recorded.append(e); reports.unlock() }
    var arena = rankInput(t.rank, plan.totalCount)
    reduction.begin(step: 7)
    try arena.withUnsafeMutableBufferPointer { a in
      _ = try reduction.finish(gradients: UnsafeBufferPointer(a))
      if t.rank == 1 { return }  // never joins the all-gather
      try reduction.allGather(a, step: 7)
    }
  }
  #expect(results.indices.filter { if case .failure = results[$0] { return true } else { return false } } == [0, 2])
  #expect(!recorded.isEmpty)
  for s in recorded {
    guard case let .stalled(collective, step, missing, _, _) = s else { Issue.record("unexpected \(s)"); continue }
    #expect(collective == .allGather && step == 7 && missing == [1], "\(s)")
    #expect("\(s)".contains("weight all-gather of step 7 stalled"))
  }
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

/// The overlapped all-gather (`startAllGather`, then `awaitWeights`): a partial wait makes
/// exactly the pieces starting below the offset current (later pieces of other ranks' shards
/// keep their old values), the full wait gives every rank the same arena as `allGather`, bit
/// for bit; pieces (5 floats) and shards (25 floats over 3 ranks) cut each other unevenly.
@Test(arguments: [1, 2, 3])
func overlappedAllGatherLandsPieceByPiece(_ p: Int) throws {
  let plan = BucketPlan(variables: layout([11, 14]), bucketBytes: 40)
  let n = plan.totalCount
  let updated = (0..<p).map { randomInput(rank: $0, n: n, seed: 4) }
  let old = randomInput(rank: 99, n: n, seed: 4)
  let results = try runRanks(p) { t -> ([Float], [Float], [Float]) in
    let thread = CommThread()
    defer { thread.stop() }
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, chunkElements: 2, timeout: .seconds(30)),
                                      thread: thread, gatherPieceElements: 5)
    let shard = reduction.shards[t.rank]
    // The synchronous reference.
    var reference = old
    for i in shard { reference[i] = updated[t.rank][i] }
    reduction.begin(step: 0)
    _ = try reference.withUnsafeBufferPointer { try reduction.finish(gradients: $0) }
    try reference.withUnsafeMutableBufferPointer { try reduction.allGather($0, step: 0) }
    // The overlapped one.
    var values = old
    for i in shard { values[i] = updated[t.rank][i] }
    reduction.begin(step: 1)
    _ = try values.withUnsafeBufferPointer { try reduction.finish(gradients: $0) }
    values.withUnsafeBufferPointer { reduction.startAllGather($0, step: 1) }
    #expect(reduction.allGatherPending == (p > 1))
    try values.withUnsafeMutableBufferPointer { try reduction.awaitWeights(upTo: 7, into: $0) }
    let partial = values
    try values.withUnsafeMutableBufferPointer { try reduction.awaitWeights(upTo: n, into: $0) }
    #expect(!reduction.allGatherPending)
    reduction.begin(step: 2)  // allowed again once everything landed
    _ = try values.withUnsafeBufferPointer { try reduction.finish(gradients: $0) }
    return (reference, partial, values)
  }
  for r in 0..<p {
    let (reference, partial, values) = results[r]
    #expect(values.map(\.bitPattern) == reference.map(\.bitPattern), "rank \(r)")
    let shard = ShardLayout.range(r, count: n, parts: p)
    for i in 0..<n {
      // Pieces 0..<5 and 5..<10 start below 7; the rest is this rank's update or the old value.
      let want = i < 10 ? reference[i] : (shard.contains(i) ? updated[r][i] : old[i])
      #expect(partial[i].bitPattern == want.bitPattern, "rank \(r) element \(i)")
    }
  }
}
