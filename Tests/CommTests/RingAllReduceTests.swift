import Random
import Testing
@testable import Comm

/// Runs `body` on `size` in-process ranks and returns each rank's value, failing on any error.
func runRanks<T>(_ size: Int, _ body: @escaping (InProcessTransport) throws -> T) throws -> [T] {
  try InProcessWorld.run(size: size, body).map { try $0.get() }
}

/// The collective inputs of the house style: element i of rank r is r*1000 + i.
func rankInput(_ rank: Int, _ n: Int) -> [Float] {
  (0..<n).map { Float(rank * 1000 + $0) }
}

/// Random floats of mixed magnitude, so the summation order shows in the rounding.
func randomInput(rank: Int, n: Int, seed: UInt64) -> [Float] {
  var rng = SplitMix64(seed: seed, stream: UInt64(rank))
  return (0..<n).map { _ in rng.nextFloat(in: -2...2) * Float(1 << rng.nextInt(below: 20)) / 1024 }
}

/// World sizes 1–5 × lengths 0, 1, fewer than ranks, not divisible, divisible, multi-chunk.
let collectiveCases: [(size: Int, n: Int)] = (1...5).flatMap { p in
  [0, 1, max(p - 1, 0), 2 * p + 1, 4 * p, 37].map { (p, $0) }
}

@Test(arguments: collectiveCases.map { [$0.size, $0.n] })
func allReduceSumsRankInputsExactly(_ c: [Int]) throws {
  let (p, n) = (c[0], c[1])
  // Small chunks so that segments are split into several pipelined messages.
  let results = try runRanks(p) { t -> [Float] in
    var x = rankInput(t.rank, n)
    try RingAllReduce(transport: t, chunkElements: 3).allReduce(&x)
    return x
  }
  // Integers below 2^24: every order gives the exact sum.
  let want = (0..<n).map { i in Float((0..<p).reduce(0) { $0 + $1 * 1000 + i }) }
  for r in 0..<p { #expect(results[r] == want, "rank \(r) of \(p), n \(n)") }
}

@Test(arguments: [1, 2, 3, 4, 5])
func allReduceAverageIsBitIdenticalToReferenceAndAcrossRuns(_ p: Int) throws {
  let n = 101
  let inputs = (0..<p).map { randomInput(rank: $0, n: n, seed: 42) }
  func once(chunk: Int) throws -> [[Float]] {
    try runRanks(p) { t -> [Float] in
      var x = inputs[t.rank]
      try RingAllReduce(transport: t, chunkElements: chunk).allReduce(&x, average: true)
      return x
    }
  }
  let want = RingAllReduce.reference(inputs, average: true)
  let first = try once(chunk: 4), second = try once(chunk: 4), unchunked = try once(chunk: 1 << 20)
  for r in 0..<p {
    // Bit-identical (compare bit patterns, not with a tolerance).
    #expect(first[r].map(\.bitPattern) == want.map(\.bitPattern), "rank \(r) vs reference")
    #expect(second[r].map(\.bitPattern) == first[r].map(\.bitPattern), "rank \(r) run 2 vs run 1")
    #expect(unchunked[r].map(\.bitPattern) == first[r].map(\.bitPattern), "rank \(r) chunking changed the result")
  }
  // And the reference itself is a sum: compare to a naive rank-order sum within rounding.
  for i in 0..<n {
    let naive = inputs.reduce(Float(0)) { $0 + $1[i] } / Float(p)
    let scale = inputs.reduce(Float(0)) { $0 + abs($1[i]) } / Float(p)
    #expect(abs(want[i] - naive) <= 4 * Float(p) * Float.ulpOfOne * scale + Float.leastNormalMagnitude)
  }
}

@Test(arguments: collectiveCases.map { [$0.size, $0.n] })
func reduceScatterThenAllGatherOwnsSegmentRank(_ c: [Int]) throws {
  let (p, n) = (c[0], c[1])
  let results = try runRanks(p) { t -> (owned: Range<Int>, afterScatter: [Float], final: [Float]) in
    let ring = RingAllReduce(transport: t, chunkElements: 2)
    var x = rankInput(t.rank, n)
    try x.withUnsafeMutableBufferPointer { try ring.reduceScatter($0) }
    let owned = ring.ownedRange(count: n)
    let afterScatter = Array(x[owned])
    // ZeRO-1 style: each rank updates only its own shard, then all-gather.
    for i in owned { x[i] = -x[i] }
    try x.withUnsafeMutableBufferPointer { try ring.allGather($0) }
    return (owned, afterScatter, x)
  }
  let sum = (0..<n).map { i in Float((0..<p).reduce(0) { $0 + $1 * 1000 + i }) }
  var covered = 0
  for r in 0..<p {
    let owned = results[r].owned
    #expect(owned == ShardLayout.range(r, count: n, parts: p))
    #expect(results[r].afterScatter == Array(sum[owned]), "rank \(r) owned shard")
    #expect(results[r].final == sum.map { -$0 }, "rank \(r) after all-gather")
    covered += owned.count
  }
  #expect(covered == n)
}

@Test func segmentsSpreadTheRemainder() {
  for p in 1...9 {
    for n in 0...40 {
      let segments = ShardLayout.ranges(count: n, parts: p)
      #expect(segments.first!.lowerBound == 0 && segments.last!.upperBound == n)
      for s in 1..<p where p > 1 { #expect(segments[s].lowerBound == segments[s - 1].upperBound) }
      let lengths = segments.map(\.count)
      #expect(lengths.max()! - lengths.min()! <= 1, "p \(p) n \(n): \(lengths)")
    }
  }
}

@Test(arguments: collectiveCases.map { [$0.size, $0.n] })
func broadcastCopiesTheRootsBuffer(_ c: [Int]) throws {
  let (p, n) = (c[0], c[1])
  for root in Set([0, p - 1, p / 2]) {
    let results = try runRanks(p) { t -> ([Float], [UInt8]) in
      var x = rankInput(t.rank, n)
      let ring = RingAllReduce(transport: t, chunkElements: 2)
      try ring.broadcast(&x, root: root)
      let bytes = try ring.broadcast(bytes: t.rank == root ? Array("root \(root)".utf8) : [], root: root)
      return (x, bytes)
    }
    for r in 0..<p {
      #expect(results[r].0 == rankInput(root, n), "rank \(r), root \(root)")
      #expect(results[r].1 == Array("root \(root)".utf8))
    }
  }
}

@Test(arguments: [1, 2, 3, 4, 5])
func gatherCollectsVariableLengths(_ p: Int) throws {
  for root in Set([0, p - 1]) {
    let results = try runRanks(p) { t -> [[Float]]? in
      // Rank r contributes r*2 values (rank 0 nothing).
      try RingAllReduce(transport: t).gather(rankInput(t.rank, t.rank * 2), root: root)
    }
    for r in 0..<p {
      if r == root {
        #expect(results[r] == (0..<p).map { rankInput($0, $0 * 2) })
      } else {
        #expect(results[r] == nil)
      }
    }
  }
}

@Test(arguments: collectiveCases.map { [$0.size, $0.n] })
func directScheduleIsBitIdenticalToTheRing(_ c: [Int]) throws {
  let (p, n) = (c[0], c[1])
  let inputs = (0..<p).map { randomInput(rank: $0, n: n, seed: UInt64(7 * p + n)) }
  let results = try runRanks(p) { t -> [Float] in
    var x = inputs[t.rank]
    try x.withUnsafeMutableBufferPointer { try RingAllReduce(transport: t).allReduceDirect($0, average: true) }
    return x
  }
  let want = RingAllReduce.reference(inputs, average: true)
  for r in 0..<p { #expect(results[r].map(\.bitPattern) == want.map(\.bitPattern), "rank \(r) of \(p), n \(n)") }
}
