import Random
import Testing
@testable import Comm

/// Variables of the given element counts, packed in order, shaped [count].
func layout(_ counts: [Int], prefix: String = "v") -> [VariableLayout] {
  var offset = 0
  return counts.enumerated().map { i, n in
    defer { offset += n }
    return VariableLayout(name: "\(prefix)\(i)", shape: [n], offset: offset)
  }
}

@Test func bucketsTakeVariablesInReverseOrderAndTileTheArena() {
  // The example of BucketPlan's documentation: 3, 5, 2, 4 floats, 24-byte buckets.
  let plan = BucketPlan(variables: layout([3, 5, 2, 4]), bucketBytes: 24)
  #expect(plan.buckets.map(\.range) == [8..<14, 0..<8])
  #expect(plan.buckets.map(\.variables) == [2..<4, 0..<2])
  #expect(plan.bucketOfVariable == [1, 1, 0, 0])
  #expect(plan.totalCount == 14)
}

@Test func bucketPlansCoverEveryElementOnceForManySizes() {
  var rng = SplitMix64(seed: 5)
  for trial in 0..<50 {
    let counts = (0..<(1 + trial % 13)).map { _ in rng.nextInt(below: 64) }  // zero-size variables included
    let bytes = 4 * (1 + trial % 40)
    let plan = BucketPlan(variables: layout(counts), bucketBytes: bytes)
    var covered = [Int](repeating: 0, count: plan.totalCount)
    for (k, bucket) in plan.buckets.enumerated() {
      for i in bucket.range { covered[i] += 1 }
      // All but the last bucket reach the target size.
      if k < plan.buckets.count - 1 { #expect(bucket.range.count * 4 >= bytes) }
      if k > 0 { #expect(bucket.range.upperBound == plan.buckets[k - 1].range.lowerBound) }
    }
    #expect(covered.allSatisfy { $0 == 1 }, "counts \(counts) bytes \(bytes)")
    #expect(plan.buckets.map(\.variables.count).reduce(0, +) == counts.count)
  }
  #expect(BucketPlan(variables: [], bucketBytes: 4).buckets.isEmpty)
}

@Test func fingerprintSeesNamesShapesAndBucketSize() {
  let a = BucketPlan(variables: layout([3, 5, 2]), bucketBytes: 16)
  #expect(a.fingerprint == BucketPlan(variables: layout([3, 5, 2]), bucketBytes: 16).fingerprint)
  #expect(a.fingerprint != BucketPlan(variables: layout([3, 5, 2], prefix: "w"), bucketBytes: 16).fingerprint)
  #expect(a.fingerprint != BucketPlan(variables: layout([3, 5, 2]), bucketBytes: 32).fingerprint)
  let reshaped = [VariableLayout(name: "v0", shape: [3], offset: 0), VariableLayout(name: "v1", shape: [1, 5], offset: 3),
                  VariableLayout(name: "v2", shape: [2], offset: 8)]
  #expect(a.fingerprint != BucketPlan(variables: reshaped, bucketBytes: 16).fingerprint)
}

@Test(arguments: [1, 2, 3, 4])
func layoutCheckAcceptsIdenticalPlans(_ p: Int) throws {
  _ = try runRanks(p) { t in
    try LayoutCheck.verify(BucketPlan(variables: layout([4, 4, 9]), bucketBytes: 16), ring: RingAllReduce(transport: t))
  }
}

@Test func layoutCheckRefusesAMismatchOnEveryRankWithAReport() throws {
  let results = InProcessWorld.run(size: 3) { t in
    // Rank 2 has a different name and shape for the second variable.
    let variables = t.rank == 2
      ? [VariableLayout(name: "v0", shape: [4], offset: 0), VariableLayout(name: "conv/weights", shape: [2, 2], offset: 4)]
      : layout([4, 4])
    try LayoutCheck.verify(BucketPlan(variables: variables, bucketBytes: 16), ring: RingAllReduce(transport: t))
  }
  for (r, result) in results.enumerated() {
    guard case .failure(let error) = result, case CommError.layoutMismatch(let report) = error else {
      Issue.record("rank \(r) was not refused: \(result)")
      continue
    }
    #expect(report.contains("rank 2 differs from rank 0"), "\(report)")
    #expect(report.contains("rank 2: variable 1 conv/weights shape [2, 2] offset 4"), "\(report)")
    #expect(report.contains("rank 0: variable 1 v1 shape [4] offset 4"), "\(report)")
    #expect(!report.contains("rank 1 differs"))
  }
}
