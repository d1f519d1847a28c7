import Random
import Testing
@testable import Evaluation

// The comparator sort must order exactly like numpy.argsort(-s, kind='mergesort'):
// checked against a literal merge sort on random scores with many ties and NaNs.

@Test func argsortEqualsStableMergeSort() {
  var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
  func next() -> UInt64 { rng.next() }
  for trial in 0..<200 {
    let n = Int(next() % 300)
    let levels = 1 + Int(next() % 8)  // few distinct values: many ties
    let scores: [Double] = (0..<n).map { _ in
      let r = next() % 100
      if r < 3 { return .nan }
      if r < 6 { return r < 5 ? 0.0 : -0.0 }
      return Double(next() % UInt64(levels)) / Double(levels)
    }
    let fast = ScoreOrder.argsort(scores), reference = ScoreOrder.mergesortReference(scores)
    #expect(fast == reference, "trial \(trial), n \(n)")
  }
}

@Test func argsortKeepsOriginalOrderForTies() {
  #expect(ScoreOrder.argsort([0.5, 0.9, 0.5, .nan, 0.9, 0.1]) == [1, 4, 0, 2, 5, 3])
}
