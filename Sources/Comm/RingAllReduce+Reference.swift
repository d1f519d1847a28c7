/// The naive reference the ring is tested against.
extension RingAllReduce {
  /// What `allReduce` returns for `inputs[rank]` (all of one length): each element summed in the
  /// ring's documented order — for segment s, ((x[s+1] + x[s+2]) + …) + x[s], ranks mod p —
  /// then divided by p if `average`. Computed element by element, without any chunking.
  public static func reference(_ inputs: [[Float]], average: Bool = false) -> [Float] {
    let p = inputs.count
    precondition(p > 0, "reference needs at least one rank")
    let n = inputs[0].count
    precondition(inputs.allSatisfy { $0.count == n }, "every rank must contribute the same length")
    if p == 1 { return inputs[0] }
    var out = [Float](repeating: 0, count: n)
    for s in 0..<p {
      for i in ShardLayout.range(s, count: n, parts: p) {
        var acc = inputs[(s + 1) % p][i]
        for j in 2...p { acc = acc + inputs[(s + j) % p][i] }
        out[i] = average ? acc / Float(p) : acc
      }
    }
    return out
  }
}
