import Testing
@testable import Model

/// BatchNorm: numbers by hand, moving-statistics update, inference mode, gradients.
struct BatchNormTests {
  @Test func trainingNormalizesWithBiasedVarianceAndMovesStatistics() {
    var rng = SplitMix64(seed: 1)
    let params = ParameterStore()
    let bn = BatchNorm(scope: "b", channels: 1, epsilon: 0.001, decay: 0.997, activation: .none,
                       params: params, rng: &rng)
    params.write(bn.gamma, [2]); params.write(bn.beta, [0.5])
    // x = 1, 2, 3, 4: μ = 2.5, biased σ² = 1.25, unbiased 5/3.
    let x = Tensor(shape: [1, 2, 2, 1], data: [1, 2, 3, 4])
    let y = bn.forward(x, params: params)
    let inv = 1 / (1.25 + 0.001 as Float).squareRoot()
    let expected: [Float] = [1, 2, 3, 4].map { 2 * ($0 - 2.5) * inv + 0.5 }
    #expect(maxAbsDifference(y.data, expected) < 1e-6)
    // m ← 0.997·0 + 0.003·2.5; v ← 0.997·1 + 0.003·5/3.
    #expect(abs(params.read(bn.movingMean)[0] - 0.0075) < 1e-7)
    #expect(abs(params.read(bn.movingVariance)[0] - (0.997 + 0.005)) < 1e-6)
  }

  @Test func inferenceUsesMovingStatistics() {
    var rng = SplitMix64(seed: 1)
    let params = ParameterStore()
    let bn = BatchNorm(scope: "b", channels: 2, epsilon: 1e-3, activation: .relu6, params: params, rng: &rng)
    params.write(bn.movingMean, [1, -1]); params.write(bn.movingVariance, [4, 0.25])
    params.write(bn.gamma, [1, 3]); params.write(bn.beta, [0, 1])
    bn.training = false
    let x = Tensor(shape: [1, 1, 2, 2], data: [5, 0, -3, 10])
    let y = bn.forward(x, params: params)
    let a = 1 / (4 + 1e-3 as Float).squareRoot(), b = 1 / (0.25 + 1e-3 as Float).squareRoot()
    let expected: [Float] = [min(max(4 * a, 0), 6), min(max(3 * 1 * b + 1, 0), 6),
                             min(max(-4 * a, 0), 6), min(max(3 * 11 * b + 1, 0), 6)]
    #expect(maxAbsDifference(y.data, expected) < 1e-6)
    #expect(params.read(bn.movingMean) == [1, -1], "inference must not move statistics")
  }

  @Test(arguments: [Activation.none, .relu, .relu6], [true, false])
  func gradientsMatchFiniteDifferences(activation: Activation, training: Bool) {
    var rng = SplitMix64(seed: 5)
    let params = ParameterStore()
    let bn = BatchNorm(scope: "b", channels: 3, epsilon: 1e-3, activation: activation, params: params, rng: &rng)
    params.write(bn.gamma, [1.5, 0.7, 2]); params.write(bn.beta, [0.1, 1, 3])
    params.write(bn.movingMean, [0.1, -0.2, 0.3]); params.write(bn.movingVariance, [0.5, 1.5, 0.8])
    bn.training = training
    // Values away from the kinks: ε 1e-3 of a ±1 spread rarely crosses 0 or 6.
    let x = Tensor.random([2, 3, 3, 3], rng: &rng)
    GradientCheck(epsilon: 1e-3, tolerance: 2e-2).run(
      inputs: [x], params: params, checking: [bn.gamma, bn.beta], rng: &rng,
      forward: { bn.forward($0[0], params: params) },
      backward: { [bn.backward($0, params: params).dx] })
  }

  @Test func residualAddThenReLUGradients() {
    var rng = SplitMix64(seed: 9)
    let params = ParameterStore()
    let bn = BatchNorm(scope: "b", channels: 4, epsilon: 1e-5, activation: .relu, params: params, rng: &rng)
    params.write(bn.gamma, [1, 0.5, 2, 1.2]); params.write(bn.beta, [0.2, -0.1, 0, 0.3])
    let x = Tensor.random([2, 2, 3, 4], rng: &rng)
    let res = Tensor.random([2, 2, 3, 4], rng: &rng)
    GradientCheck(epsilon: 1e-3, tolerance: 2e-2).run(
      inputs: [x, res], params: params, checking: [bn.gamma, bn.beta], rng: &rng,
      forward: { bn.forward($0[0], residual: $0[1], params: params) },
      backward: { let g = bn.backward($0, params: params); return [g.dx, g.dResidual] })
  }

  /// Forward-only batch norms (keepsActivations false) write into the input's storage when
  /// nobody else holds it: the same bits as the kept path, on channel counts off the vector
  /// width, with and without a residual, and an input still held by the caller is left as it was.
  @Test(arguments: [Activation.none, .relu, .relu6], [3, 17, 64])
  func forwardOnlyInPlaceGivesTheSameBits(activation: Activation, channels: Int) {
    var rng = SplitMix64(seed: 12)
    let params = ParameterStore()
    let bn = BatchNorm(scope: "b", channels: channels, epsilon: 1e-3, activation: activation, params: params, rng: &rng)
    params.write(bn.gamma, Tensor.random([channels], rng: &rng).data)
    params.write(bn.beta, Tensor.random([channels], rng: &rng).data)
    let x = Tensor.random([2, 5, 7, channels], in: -4...4, rng: &rng)
    let res = Tensor.random([2, 5, 7, channels], rng: &rng)
    let before = x.data
    for training in [true, false] {
      bn.training = training
      for residual in [nil, res] {
        bn.keepsActivations = true
        let kept = bn.forward(x, residual: residual, params: params)
        bn.keepsActivations = false
        let shared = bn.forward(x, residual: residual, params: params)
        #expect(x.data == before, "an input the caller still holds must not change")
        #expect(shared.data == kept.data)
        var fresh = Tensor(shape: x.shape, data: x.data.map { $0 })
        fresh = bn.forward(consume fresh, residual: residual, params: params)
        #expect(fresh.data == kept.data)
      }
    }
  }
}
