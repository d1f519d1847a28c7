import Comm
import Testing

/// `RingAllReduce.reduceScatter(_:segments:)`: a caller-chosen partition (uneven, with empty
/// segments) leaves rank s the sum of segment s in the ring's documented order —
/// ((x[s+1] + x[s+2]) + …) + x[s], then ÷ p — checked bit for bit against that sum
/// written out element by element.
struct RingReduceScatterSegmentsTests {
  static func input(_ rank: Int, _ n: Int) -> [Float] { (0..<n).map { Float(rank * 977 + $0 * 13) * 0.173 + 0.01 } }

  @Test(arguments: [1, 2, 3, 4])
  func unevenSegmentsSumInTheRingOrderOnTheirOwner(worldSize p: Int) throws {
    let n = 37
    // Cut points: rank 0 gets nothing, the last rank nearly everything, the others a few.
    var cuts = [0, 0]
    for s in 1..<p { cuts.append(min(n, cuts.last! + 2 * s)) }
    cuts[p] = n
    let segments = (0..<p).map { cuts[$0]..<cuts[$0 + 1] }
    let inputs = (0..<p).map { Self.input($0, n) }
    let results = InProcessWorld.run(size: p) { t -> [Float] in
      let ring = RingAllReduce(transport: t, chunkElements: 4, timeout: .seconds(20))
      var x = inputs[t.rank]
      try x.withUnsafeMutableBufferPointer { try ring.reduceScatter($0, segments: segments, average: true, slot: .general) }
      return Array(x[segments[t.rank]])
    }
    for s in 0..<p {
      let got = try results[s].get()
      let want = segments[s].map { i -> Float in
        if p == 1 { return inputs[0][i] }
        var acc = inputs[(s + 1) % p][i]
        for j in 2...p { acc = acc + inputs[(s + j) % p][i] }
        return acc / Float(p)
      }
      #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "p \(p) rank \(s): \(got) vs \(want)")
    }
  }
}
