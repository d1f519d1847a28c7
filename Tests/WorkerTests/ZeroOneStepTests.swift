import Comm
import Foundation
import Model
import Testing

/// ZeRO-1 over `GradientReduction` (in-process ranks): three ranks, each with its own
/// gradient: reduce-scatter, a momentum step on the own shard only, all-gather — twice —
/// gives exactly (bit for bit) what one `MomentumOptimizer` over the whole arena computes
/// from the ring-averaged gradients.
@Test func zeroOneStepsEqualOneOptimizerOverTheWholeArena() throws {
  let p = 3, n = 11, lr: Float = 0.25
  let input = { (rank: Int) in (0..<n).map { Float(rank * 1000 + $0) * 0.37 } }
  let grads = (0..<2).map { step in (0..<p).map { r in input(r + 7 * step) } }
  let start = (0..<n).map { Float($0) * 0.1 }
  let plan = BucketPlan(variables: [VariableLayout(name: "w", shape: [n], offset: 0)], bucketBytes: 16)
  let results = InProcessWorld.run(size: p) { t -> [Float] in
    let thread = CommThread()
    defer { thread.stop() }
    let reduction = GradientReduction(plan: plan, ring: RingAllReduce(transport: t, timeout: .seconds(20)), thread: thread)
    let params = ParameterStore()
    params.add(name: "w", shape: [n]) { start[$0] }
    let optimizer = MomentumOptimizer(range: reduction.shards[t.rank], momentum: 0.9)
    for step in 0..<2 {
      params.gradients = grads[step][t.rank]
      reduction.begin(step: step)
      try params.gradients.withUnsafeBufferPointer { g in
        let averaged = try reduction.finish(gradients: g)
        params.values.withUnsafeMutableBufferPointer { optimizer.step(values: $0, gradients: averaged, learningRate: lr) }
      }
      try params.values.withUnsafeMutableBufferPointer { try reduction.allGather($0, step: step) }
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
