import Testing
import Model
@testable import Data

/// `SampleRandom` is documented as the same stream as `Model.SplitMix64`: check it.
@Test func sampleRandomEqualsSplitMix64Streams() {
  for seed: UInt64 in [0, 1, 42, 0xDEAD_BEEF_CAFE] {
    var a = SampleRandom(seed: seed, stream: 3, 17)
    var b = SplitMix64(seed: seed, stream: 3, 17)
    var c = SampleRandom(seed: seed, epoch: 3, sampleIndex: 17)
    for _ in 0..<50 {
      let x = a.next()
      #expect(x == b.next())
      #expect(x == c.next())
    }
    var d = SampleRandom(seed: seed, stream: 9)
    var e = SplitMix64(seed: seed, stream: 9)
    for _ in 0..<20 { #expect(d.nextUnitFloat() == e.nextUnitFloat()) }
    var f = SampleRandom(seed: seed)
    var g = SplitMix64(seed: seed)
    for _ in 0..<20 { #expect(f.nextUnitDouble() == g.nextUnitDouble()) }
  }
}

/// Bounded integers: in range, and every value of a small range appears about equally often.
/// Tolerance: each of 7 buckets within 15% of 7000/7 over 7000 draws (≈ 5 sigma).
@Test func nextIntIsUniformAndInRange() {
  var rng = SampleRandom(seed: 5)
  var counts = [Int](repeating: 0, count: 7)
  for _ in 0..<7000 {
    let v = rng.nextInt(below: 7)
    #expect((0..<7).contains(v))
    counts[v] += 1
  }
  for c in counts { #expect(abs(c - 1000) < 150, "bucket counts \(counts)") }
  #expect(rng.nextInt(below: 1) == 0)
}

/// Different (epoch, index) pairs give different streams.
@Test func sampleStreamsDiffer() {
  var seen = Set<UInt64>()
  for e in 0..<4 { for i in 0..<50 { var r = SampleRandom(seed: 1, epoch: e, sampleIndex: i); seen.insert(r.next()) } }
  #expect(seen.count == 200)
}
