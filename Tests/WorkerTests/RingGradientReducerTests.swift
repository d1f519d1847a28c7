import Comm
import Foundation
import Model
import Testing
import Worker

/// `RingGradientReducer` over the in-process transport (world sizes 1–5, no mpirun): the
/// reduce-scatter leaves each rank the ring's average on exactly its `ShardLayout` shard,
/// the all-gather reassembles the shards, a ZeRO-1 step (shard-local momentum) equals one
/// optimizer over the whole arena, and a rank that never joins is named by the stall report.
struct RingGradientReducerTests {
  static func input(_ rank: Int, _ n: Int) -> [Float] { (0..<n).map { Float(rank * 1000 + $0) * 0.37 } }

  @Test(arguments: [1, 2, 3, 4, 5])
  func reduceScatterAveragesEachShardAndAllGatherReassembles(worldSize p: Int) throws {
    for n in [0, 1, p - 1, 7, 23] {
      let shards = ShardLayout.ranges(count: n, parts: p)
      let want = RingAllReduce.reference((0..<p).map { Self.input($0, n) }, average: true)
      let results = InProcessWorld.run(size: p) { t -> ([Float], [Float]) in
        let thread = CommThread()
        defer { thread.stop() }
        let reducer = RingGradientReducer(transport: t, thread: thread, stallTimeout: .seconds(20), chunkElements: 3)
        var g = Self.input(t.rank, n)
        try g.withUnsafeMutableBufferPointer { try reducer.reduceScatter($0, shards: shards) }
        var v = [Float](repeating: -1, count: n)
        for i in shards[t.rank] { v[i] = Float(i) + 0.5 }
        try v.withUnsafeMutableBufferPointer { try reducer.allGather($0, shards: shards) }
        return (Array(g[shards[t.rank]]), v)
      }
      for r in 0..<p {
        let (own, gathered) = try results[r].get()
        #expect(own == Array(want[shards[r]]), "p \(p) n \(n) rank \(r): shard not the ring average")
        #expect(gathered == (0..<n).map { Float($0) + 0.5 }, "p \(p) n \(n) rank \(r): all-gather")
      }
    }
  }

  /// Three ranks, each with its own gradient: reduce-scatter, a momentum step on the own
  /// shard only, all-gather — twice — gives exactly (bit for bit) what one `MomentumOptimizer`
  /// over the whole arena computes from the ring-averaged gradients.
  @Test func zeroOneStepsEqualOneOptimizerOverTheWholeArena() throws {
    let p = 3, n = 11, lr: Float = 0.25
    let grads = (0..<2).map { step in (0..<p).map { r in Self.input(r + 7 * step, n) } }
    let start = (0..<n).map { Float($0) * 0.1 }
    let shards = ShardLayout.ranges(count: n, parts: p)
    let results = InProcessWorld.run(size: p) { t -> [Float] in
      let thread = CommThread()
      defer { thread.stop() }
      let reducer = RingGradientReducer(transport: t, thread: thread, stallTimeout: .seconds(20))
      let params = ParameterStore()
      params.add(name: "w", shape: [n]) { start[$0] }
      let optimizer = MomentumOptimizer(range: shards[t.rank], momentum: 0.9)
      for step in 0..<2 {
        params.gradients = grads[step][t.rank]
        try params.gradients.withUnsafeMutableBufferPointer { try reducer.reduceScatter($0, shards: shards) }
        optimizer.step(params, learningRate: lr)
        try params.values.withUnsafeMutableBufferPointer { try reducer.allGather($0, shards: shards) }
      }
      return params.values
    }
    let single = ParameterStore()
    single.add(name: "w", shape: [n]) { start[$0] }
    let whole = MomentumOptimizer(range: 0..<n, momentum: 0.9)
    for step in 0..<2 {
      single.gradients = RingAllReduce.reference(grads[step], average: true)
      whole.step(single, learningRate: lr)
    }
    for r in 0..<p {
      let values = try results[r].get()
      #expect(values.map(\.bitPattern) == single.values.map(\.bitPattern), "rank \(r): \(values) vs \(single.values)")
    }
  }

  @Test func aRankThatNeverJoinsIsNamedInTheStallReport() throws {
    let reports = NSLock()
    var stalls: [CommError] = []
    let started = ContinuousClock.now
    let results = InProcessWorld.run(size: 4) { t -> Void in
      if t.rank == 2 { return }  // never joins
      let thread = CommThread()
      defer { thread.stop() }
      let reducer = RingGradientReducer(transport: t, thread: thread, stallTimeout: .milliseconds(300))
      reducer.onStall = { e in reports.lock(); stalls.append(e); reports.unlock() }
      var g = Self.input(t.rank, 8)
      try g.withUnsafeMutableBufferPointer { try reducer.reduceScatter($0, shards: ShardLayout.ranges(count: 8, parts: 4)) }
    }
    #expect(ContinuousClock.now - started < .seconds(20))
    for r in [0, 1, 3] {
      guard case .failure = results[r] else {
        Issue.record("rank \(r) finished a reduce-scatter rank 2 never joined")
        continue
      }
    }
    #expect(!stalls.isEmpty)
    for s in stalls {
      guard case let .stalled(bucket, step, missing, _, _) = s else { Issue.record("unexpected \(s)"); continue }
      #expect(bucket == 0 && step == 0 && missing == [2], "\(s)")
    }
  }
}
