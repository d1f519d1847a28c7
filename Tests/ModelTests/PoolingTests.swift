import Testing
@testable import Model

/// Max-pool, nearest upsampling, even subsampling, stand-alone activations.
struct PoolingTests {
  @Test func maxPoolSameIgnoresPadding() {
    // 4×4 single channel, 3×3/2 SAME: out 2×2, pad 0 before / 1 after.
    let x = Tensor(shape: [1, 4, 4, 1], data: (0..<16).map { -Float($0) })
    let y = MaxPool2D().forward(x)
    // Windows rows/cols {0,1,2}, {2,3}: maxima at the top-left of each window.
    #expect(y.data == [0, -2, -8, -10])
  }

  @Test func maxPoolGradients() {
    var rng = SplitMix64(seed: 2)
    let pool = MaxPool2D()
    // Distinct values (a permutation scaled) so no window has ties.
    var perm = Array(0..<(2 * 7 * 6 * 3)).map { Float($0) * 0.01 }
    perm.shuffle(using: &rng)
    let x = Tensor(shape: [2, 7, 6, 3], data: perm)
    GradientCheck(epsilon: 1e-3, tolerance: 1e-2).run(
      inputs: [x], params: ParameterStore(), checking: [], rng: &rng,
      forward: { pool.forward($0[0]) }, backward: { [pool.backward($0)] })
  }

  @Test func upsampleAndSubsample() {
    let x = Tensor(shape: [1, 2, 2, 1], data: [1, 2, 3, 4])
    let u = Resample.upsample2x(x)
    #expect(u.data == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    let s = Resample.subsample2x(Tensor(shape: [1, 3, 3, 1], data: (0..<9).map(Float.init)))
    #expect(s.data == [0, 2, 6, 8])
    var rng = SplitMix64(seed: 4)
    let a = Tensor.random([2, 3, 4, 2], rng: &rng)
    GradientCheck().run(inputs: [a], params: ParameterStore(), checking: [], rng: &rng,
                        forward: { Resample.upsample2x($0[0]) },
                        backward: { [Resample.upsample2xBackward($0)] })
    let b = Tensor.random([2, 5, 4, 2], rng: &rng)
    GradientCheck().run(inputs: [b], params: ParameterStore(), checking: [], rng: &rng,
                        forward: { Resample.subsample2x($0[0]) },
                        backward: { [Resample.subsample2xBackward($0, inputShape: b.shape)] })
  }

  @Test(arguments: [Activation.relu, .relu6])
  func activationGradients(activation: Activation) {
    var rng = SplitMix64(seed: 8)
    let layer = ActivationLayer(activation)
    // Values spread over (−2, 8) but kept ≥ 0.05 away from the kinks at 0 and 6.
    var x = Tensor.random([2, 4, 4, 3], in: -2...8, rng: &rng)
    for i in 0..<x.count where abs(x.data[i]) < 0.05 || abs(x.data[i] - 6) < 0.05 { x.data[i] += 0.1 }
    let y = layer.forward(x)
    #expect(y.data.allSatisfy { $0 >= 0 && (activation == .relu || $0 <= 6) })
    GradientCheck(epsilon: 1e-2, tolerance: 1e-3).run(
      inputs: [x], params: ParameterStore(), checking: [], rng: &rng,
      forward: { layer.forward($0[0]) }, backward: { [layer.backward($0)] })
  }
}
