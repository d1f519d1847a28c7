import Testing
@testable import Comm

@Test func shardLayoutCoversArenaContiguously() {
  #expect(ShardLayout.ranges(count: 10, parts: 3) == [0..<4, 4..<7, 7..<10])
  #expect(ShardLayout.ranges(count: 2, parts: 3) == [0..<1, 1..<2, 2..<2])
  #expect(ShardLayout.ranges(count: 7, parts: 1) == [0..<7])
  for n in [0, 1, 5, 97] {
    for p in 1...5 {
      let r = ShardLayout.ranges(count: n, parts: p)
      #expect(r.count == p && r.first!.lowerBound == 0 && r.last!.upperBound == n)
      for i in 1..<p { #expect(r[i - 1].upperBound == r[i].lowerBound) }
      #expect(r.map(\.count).max()! - r.map(\.count).min()! <= 1)
    }
  }
}

/// Every tag of the registry is distinct and within what MPI guarantees.
@Test func collectiveTagsAreDistinctAndInRange() {
  let values = CollectiveTag.all.map(\.value)
  #expect(Set(values).count == values.count)
  #expect(values.allSatisfy { (0...maximumTransportTag).contains($0) })
}
