import Testing
@testable import Model

/// `gradient_clipping_by_norm` (TF `clip_by_global_norm` over the averaged gradients of the
/// trained variables) and the trainable mask of `freeze_variables` in the optimizer.
@Suite struct GradientClippingTests {
  func randomGradients(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return (0..<n).map { _ in rng.nextFloat(in: -1...1) * scale }
  }

  /// Worked example: [3, 4] has norm 5; clipping to 1 gives [0.6, 0.8].
  @Test func workedExample() {
    var g: [Float] = [3, 4]
    let r = g.withUnsafeMutableBufferPointer { GradientClipping.clipByGlobalNorm($0, mask: .all(count: 2), clipNorm: 1) }
    #expect(r.norm == 5)
    #expect(r.scale == Float(1) * (1 / Float(5)))
    #expect(abs(g[0] - 0.6) <= 1e-7 && abs(g[1] - 0.8) <= 1e-7)
  }

  /// The clipped gradients' global norm equals the bound (relative 1e-6: Float32 rounding of
  /// the scale and of each product); a norm below the bound leaves them bit-identical.
  @Test(arguments: [0.001, 0.5, 3.0] as [Float])
  func clippedNormEqualsTheBound(bound: Float) {
    var g = randomGradients(10_000, seed: 7)
    let before = g
    let r = g.withUnsafeMutableBufferPointer { GradientClipping.clipByGlobalNorm($0, mask: .all(count: 10_000), clipNorm: bound) }
    #expect(r.norm > Double(bound))
    let after = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    #expect(abs(after - Double(bound)) <= 1e-6 * Double(bound), "norm after clipping \(after), bound \(bound)")
    // The direction is kept: every element scaled by the same factor.
    #expect(zip(before, g).allSatisfy { $1 == $0 * r.scale! })
    var small = randomGradients(100, seed: 8, scale: 1e-4)
    let copy = small
    let s = small.withUnsafeMutableBufferPointer { GradientClipping.clipByGlobalNorm($0, mask: .all(count: 100), clipNorm: 1) }
    #expect(s.scale == nil && small == copy)
  }

  /// Frozen elements are out of the norm and untouched by the scale.
  @Test func frozenGradientsAreNotInTheNorm() {
    var g: [Float] = [3, 4, 1000, 1000]
    let mask = TrainableMask(trainedRanges: [0..<2], count: 4)
    let r = g.withUnsafeMutableBufferPointer { GradientClipping.clipByGlobalNorm($0, mask: mask, clipNorm: 1) }
    #expect(r.norm == 5)
    #expect(g[2] == 1000 && g[3] == 1000)
  }

  @Test func nonFiniteNormPoisonsTheGradientsAsTensorFlowDoes() {
    var g: [Float] = [1, .infinity, 2]
    let r = g.withUnsafeMutableBufferPointer { GradientClipping.clipByGlobalNorm($0, mask: .all(count: 3), clipNorm: 1) }
    #expect(r.norm.isNaN && r.scale!.isNaN && g[0].isNaN)
    #expect(GradientClipping.scale(norm: 10, clipNorm: 0) == nil)
  }

  /// The exact square sum is the same for any split into shards and any order of adding
  /// the partial sums, also through the Float32 wire sum; and close to a Double sum.
  @Test func squareSumIsIdenticalForEveryShardingAndOrder() {
    var g = randomGradients(50_001, seed: 3)
    g[17] = 1e-30  // a tiny value, g[18] a subnormal, g[19] a large one
    g[18] = Float.leastNormalMagnitude / 1024  // subnormal
    g[19] = 3e18
    let whole: Double = g.withUnsafeBufferPointer { b in
      var s = GradientSquareSum()
      s.add(b)
      return s.sum
    }
    let reference = g.reduce(0.0) { $0 + Double($1) * Double($1) }
    #expect(abs(whole - reference) <= 1e-12 * reference)
    for parts in [1, 2, 3, 7, 8] {
      let shards = (0..<parts).map { p in (p * g.count / parts)..<((p + 1) * g.count / parts) }
      let partials: [GradientSquareSum] = shards.map { r in
        g.withUnsafeBufferPointer { b in
          var s = GradientSquareSum()
          s.add(b, ranges: [r])
          return s
        }
      }
      // Added as exact sums, in reverse order.
      var merged = GradientSquareSum()
      for p in partials.reversed() { merged.add(p) }
      #expect(merged.sum == whole, "\(parts) shards")
      // Through the wire: a Float32 element-wise sum, as the all-reduce does.
      var wire = [Float](repeating: 0, count: GradientSquareSum.wireCount)
      for p in partials { for (i, v) in p.wire.enumerated() { wire[i] += v } }
      #expect(GradientSquareSum(wire: wire).sum == whole, "\(parts) shards over the wire")
      #expect(GradientSquareSum(wire: wire).norm == whole.squareRoot())
    }
  }

  @Test func squareSumWorkedExample() {
    let v: [Float] = [3]
    var s = GradientSquareSum()
    v.withUnsafeBufferPointer { s.add($0) }
    #expect(s.sum == 9)
  }

  /// Frozen variables are bit-identical after N steps and their momentum stays zero; the
  /// trained ones move exactly as without a mask.
  @Test func frozenVariablesDoNotMove() {
    let params = ParameterStore()
    var rng = SplitMix64(seed: 11)
    let a = params.add(name: "FeatureExtractor/a", shape: [5]) { _ in rng.nextFloat(in: -1...1) }
    let b = params.add(name: "Box/b", shape: [4]) { _ in rng.nextFloat(in: -1...1) }
    let c = params.add(name: "FeatureExtractor/c", shape: [3]) { _ in rng.nextFloat(in: -1...1) }
    let mask = TrainableMask(params) { !$0.hasPrefix("FeatureExtractor/") }
    #expect(mask.trainedRanges == [5..<9])
    let masked = MomentumOptimizer(range: 0..<params.trainableCount, mask: mask)
    let plain = ParameterStore()
    _ = plain.add(name: "x", shape: [12], values: params.values)
    let unmasked = MomentumOptimizer(range: 0..<12)
    let startA = params.read(a), startC = params.read(c)
    for step in 0..<5 {
      let g = randomGradients(12, seed: UInt64(100 + step))
      params.gradients = g
      plain.gradients = g
      masked.step(params, learningRate: 0.1)
      unmasked.step(plain, learningRate: 0.1)
    }
    #expect(params.read(a) == startA && params.read(c) == startC)
    #expect(masked.accumulator[0..<5].allSatisfy { $0 == 0 } && masked.accumulator[9..<12].allSatisfy { $0 == 0 })
    #expect(params.read(b) == Array(plain.values[5..<9]))
    #expect(Array(masked.accumulator[5..<9]) == Array(unmasked.accumulator[5..<9]))
  }

  /// ZeRO-1: shards with the mask equal one masked optimizer over everything.
  @Test func maskedShardsEqualMaskedWhole() {
    let n = 23
    let mask = TrainableMask(trainedRanges: [2..<6, 9..<10, 15..<23], count: n)
    let start = randomGradients(n, seed: 4)
    var whole = start, sharded = start
    let one = MomentumOptimizer(range: 0..<n, mask: mask)
    let parts = [0..<8, 8..<12, 12..<23].map { MomentumOptimizer(range: $0, mask: mask) }
    for k in 0..<3 {
      let g = randomGradients(n, seed: UInt64(20 + k))
      g.withUnsafeBufferPointer { gp in
        whole.withUnsafeMutableBufferPointer { one.step(values: $0, gradients: gp, learningRate: 0.3) }
        sharded.withUnsafeMutableBufferPointer { v in for o in parts { o.step(values: v, gradients: gp, learningRate: 0.3) } }
      }
    }
    #expect(whole == sharded)
    #expect(whole[0..<2] == start[0..<2] && whole[6..<9] == start[6..<9] && whole[10..<15] == start[10..<15])
  }

  @Test func maskRangesMergeAndIntersect() {
    let m = TrainableMask(trainedRanges: [4..<6, 0..<2, 2..<3, 8..<8], count: 10)
    #expect(m.trainedRanges == [0..<3, 4..<6])
    #expect(m.trained(in: 1..<5) == [1..<3, 4..<5])
    #expect(m.trainedCount == 5 && !m.isAll && TrainableMask.all(count: 10).isAll)
  }
}

/// Scaling inside the update equals clipping the gradients first (bit for bit).
@Test func optimizerScaleEqualsClippedGradients() {
  var rng = SplitMix64(seed: 5)
  let n = 64
  let start = (0..<n).map { _ in rng.nextFloat(in: -1...1) }
  var grads = (0..<n).map { _ in rng.nextFloat(in: -3...3) }
  var a = start, b = start
  let fused = MomentumOptimizer(range: 0..<n), separate = MomentumOptimizer(range: 0..<n)
  let mask = TrainableMask.all(count: n)
  var sum = GradientSquareSum()
  grads.withUnsafeBufferPointer { sum.add($0, ranges: mask.trainedRanges) }
  let scale = GradientClipping.scale(norm: sum.norm, clipNorm: 0.5)!
  grads.withUnsafeBufferPointer { g in a.withUnsafeMutableBufferPointer { fused.step(values: $0, gradients: g, learningRate: 0.1, gradientScale: scale) } }
  grads.withUnsafeMutableBufferPointer { GradientClipping.apply(scale: scale, to: $0, ranges: mask.trainedRanges) }
  grads.withUnsafeBufferPointer { g in b.withUnsafeMutableBufferPointer { separate.step(values: $0, gradients: g, learningRate: 0.1) } }
  #expect(a == b && fused.accumulator == separate.accumulator)
}
