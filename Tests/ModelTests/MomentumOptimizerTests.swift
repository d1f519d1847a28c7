import Testing
@testable import Model

@Suite struct MomentumOptimizerTests {
  /// Worked example: lr 0.1, g = 1 twice → a = 1 then 1.9; θ = 1 − 0.1 − 0.19.
  @Test func twoStepsByHand() {
    let params = ParameterStore()
    let p = params.add(name: "w", shape: [2], constant: 1)
    let opt = MomentumOptimizer(range: 0..<params.trainableCount)
    params.gradients = [1, -2]
    opt.step(params, learningRate: 0.1)
    #expect(opt.accumulator == [1, -2])
    #expect(params.read(p) == [1 - Float(0.1), 1 + Float(2) * Float(0.1)])
    opt.step(params, learningRate: 0.1)
    let a: [Float] = [Float(1) * 0.9 + 1, Float(-2) * 0.9 - 2]
    #expect(opt.accumulator == a)
    #expect(params.read(p)[0] == (1 - Float(0.1)) - a[0] * 0.1)
  }

  /// Shards of the arena updated by separate optimizers equal one optimizer over all of it,
  /// and nothing outside a shard is touched.
  @Test func shardsEqualWhole() {
    var rng = SplitMix64(seed: 2)
    let n = 37
    let start = (0..<n).map { _ in rng.nextFloat(in: -1...1) }
    let grads = (0..<3).map { _ in (0..<n).map { _ in rng.nextFloat(in: -1...1) } }
    var whole = start, sharded = start
    let one = MomentumOptimizer(range: 0..<n)
    let parts = [0..<10, 10..<11, 11..<11, 11..<37].map { MomentumOptimizer(range: $0) }
    for (k, g) in grads.enumerated() {
      let lr = Float(0.05) * Float(k + 1)
      g.withUnsafeBufferPointer { gp in
        whole.withUnsafeMutableBufferPointer { one.step(values: $0, gradients: gp, learningRate: lr) }
        sharded.withUnsafeMutableBufferPointer { v in for o in parts { o.step(values: v, gradients: gp, learningRate: lr) } }
      }
    }
    #expect(whole == sharded)
    var partial = start
    let mid = MomentumOptimizer(range: 5..<9)
    grads[0].withUnsafeBufferPointer { gp in partial.withUnsafeMutableBufferPointer { mid.step(values: $0, gradients: gp, learningRate: 1) } }
    #expect(Array(partial[0..<5]) == Array(start[0..<5]) && Array(partial[9...]) == Array(start[9...]))
    #expect(partial[5] == start[5] - grads[0][5])
  }

  /// Slots map variables to their part of the accumulator; outside the range gives nil.
  @Test func slotsPerVariable() {
    let params = ParameterStore()
    let a = params.add(name: "a", shape: [3], constant: 0)
    let b = params.add(name: "b", shape: [2], constant: 0)
    let opt = MomentumOptimizer(range: 3..<5)
    #expect(opt.slot(for: a) == nil)
    #expect(opt.slot(for: b) == [0, 0])
    #expect(opt.setSlot([4, 5], for: b))
    #expect(!opt.setSlot([1, 2, 3], for: a))
    params.gradients = [9, 9, 9, 1, 1]
    opt.step(params, learningRate: 1)
    let expected: [Float] = [Float(4) * 0.9 + 1, Float(5) * 0.9 + 1]
    #expect(opt.slot(for: b) == expected)
    #expect(params.read(a) == [0, 0, 0])
    // An empty shard (more ranks than values) is a no-op, even on an empty arena.
    MomentumOptimizer(range: 0..<0).step(ParameterStore(), learningRate: 1)
  }
}
