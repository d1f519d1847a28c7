import Testing
@testable import Evaluation

// The comparator sort must order exactly like numpy.argsort(-s, kind='mergesort'):
// checked against a literal merge sort on random scores with many ties and NaNs.

@Test func argsortEqualsStableMergeSort() {
  var state: UInt64 = 0x9E3779B97F4A7C15
  func next() -> UInt64 {
    state &+= 0x9E3779B97F4A7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
    return z ^ (z >> 31)
  }
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
