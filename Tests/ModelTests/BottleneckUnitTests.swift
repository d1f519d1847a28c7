import Testing
@testable import Model

/// Bottleneck units (projection and identity shortcuts) and a small backbone.
struct BottleneckUnitTests {
  @Test(arguments: [8, 12])
  func unitGradientsMatchFiniteDifferences(inDepth: Int) {
    var rng = SplitMix64(seed: 21)
    let params = ParameterStore()
    let unit = BottleneckUnit(scope: "u", inDepth: inDepth, depth: 12, bottleneck: 4, epsilon: 1e-3, decay: 0.997,
                              params: params, rng: &rng, scratch: ScratchArena())
    #expect((unit.shortcutConv != nil) == (inDepth != 12))
    // Larger weights than the 0.03 init so every path carries signal.
    for c in unit.convs { params.write(c.weight, Initializer.normal(stddev: 0.4).values(c.weight.count, rng: &rng)) }
    // γ = 0.5, β = 3 keep the ReLU6/ReLU units in their linear interior (see the whole-model
    // test): difference quotients then converge instead of straddling kinks.
    for bn in unit.batchNorms {
      params.write(bn.gamma, [Float](repeating: 0.5, count: bn.channels))
      params.write(bn.beta, [Float](repeating: 3, count: bn.channels))
    }
    let x = Tensor.random([2, 5, 4, inDepth], rng: &rng)
    let checked = unit.convs.map(\.weight) + unit.batchNorms.flatMap { [$0.gamma, $0.beta] }
    // BN (batch statistics) + relu6/relu: ε 1e-2, tolerance 2e-2 relative (floor 0.1).
    GradientCheck(epsilon: 1e-2, tolerance: 2e-2, samples: 10, floor: 0.1).run(
      inputs: [x], params: params, checking: checked, rng: &rng,
      forward: { unit.forward($0[0], params: params) },
      backward: { [unit.backward($0, params: params)] })
  }

  @Test func unitComputesTheSpecFormula() {
    // Identity shortcut, 1 channel, all weights 1, γ=1, β=0: with batch statistics each BN
    // output is the standardized input, so y = relu(standardize(...) + x).
    var rng = SplitMix64(seed: 2)
    let params = ParameterStore()
    let unit = BottleneckUnit(scope: "u", inDepth: 1, depth: 1, bottleneck: 1, epsilon: 0, decay: 0.997,
                              params: params, rng: &rng, scratch: ScratchArena())
    for c in unit.convs { params.write(c.weight, [Float](repeating: 0.5, count: c.weight.count)) }
    let x = Tensor(shape: [1, 1, 4, 1], data: [1, 2, 3, 6])
    let y = unit.forward(x, params: params)
    func standardize(_ v: [Double]) -> [Double] {
      let m = v.reduce(0, +) / Double(v.count)
      let s = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
      return v.map { ($0 - m) / s }
    }
    let xs = x.data.map(Double.init)
    var h = standardize(xs.map { $0 * 0.5 }).map { min(max($0, 0), 6) }
    // 3×3 SAME on a 1×4 row: each output sums its horizontal neighbours (·0.5).
    let h1 = h
    h = (0..<4).map { (i: Int) -> Double in
      let left: Double = i > 0 ? h1[i - 1] : 0
      let right: Double = i < 3 ? h1[i + 1] : 0
      return 0.5 * (h1[i] + left + right)
    }
    h = standardize(h).map { min(max($0, 0), 6) }
    let out = zip(standardize(h.map { $0 * 0.5 }), xs).map { max($0 + $1, 0) }
    #expect(maxAbsDifference(y.data, out.map(Float.init)) < 1e-5)
  }
}
