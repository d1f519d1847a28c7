import Testing
@testable import Model

/// The forward-only path of `Conv2D.forward(_:params:then:)`: Winograd F(4×4) with a cached
/// kernel and the inference batch norm (or the bias) folded into the output transform.
struct Conv2DFoldedInferenceTests {
  /// The inference path of `Conv2D.forward(_:params:then:)`: a batch norm in inference mode
  /// folded into the output transform equals the separate conv + batch norm; the cached
  /// kernel follows weight changes; training-mode batch norms take the separate path.
  @Test func fusedInferenceMatchesConvThenBatchNorm() {
    var rng = SplitMix64(seed: 9)
    let params = ParameterStore()
    let scratch = ScratchArena()
    let conv = Conv2D(scope: "c", inChannels: 12, outChannels: 10, kernel: 3, padding: .same,
                      weightInit: .normal(stddev: 0.3), params: params, rng: &rng, scratch: scratch)
    let bn = BatchNorm(scope: "c/BatchNorm", channels: 10, epsilon: 1e-3, activation: .relu6, params: params, rng: &rng)
    params.write(bn.gamma, Tensor.random([10], in: 0.5...1.5, rng: &rng).data)
    params.write(bn.beta, Tensor.random([10], in: -0.5...0.5, rng: &rng).data)
    params.states.withUnsafeMutableBufferPointer { st in
      for i in 0..<10 { st[bn.movingMean.offset + i] = Float(i) * 0.1 - 0.4; st[bn.movingVariance.offset + i] = 0.5 + Float(i) * 0.2 }
    }
    let x = Tensor.random([2, 16, 12, 12], rng: &rng)
    bn.training = false
    func separate() -> Tensor {
      conv.keepsActivations = true; bn.keepsActivations = true
      defer { conv.keepsActivations = false; bn.keepsActivations = false }
      return bn.forward(conv.forward(x, params: params), params: params)
    }
    conv.keepsActivations = false; bn.keepsActivations = false
    let fused = conv.forward(x, params: params, then: bn)
    #expect(fused.shape == [2, 16, 12, 10])
    #expect(maxAbsDifference(fused.data, separate().data) < 1e-4)
    // New weights: the cached transformed kernel must not be reused.
    params.write(conv.weight, Tensor.random([3, 3, 12, 10], in: -0.3...0.3, rng: &rng).data)
    let again = conv.forward(x, params: params, then: bn)
    #expect(maxAbsDifference(again.data, separate().data) < 1e-4)
    #expect(maxAbsDifference(again.data, fused.data) > 1e-2)
    // Batch statistics cannot be folded: the separate path, bit for bit.
    bn.training = true
    let trainingMode = conv.forward(x, params: params, then: bn)
    bn.training = true
    #expect(trainingMode.data == separate().data)
  }

  /// Writes through `values` bump `valuesVersion` (what the kernel cache checks) and
  /// mutate the arena in place: no copy of the buffer.
  @Test func valueWritesBumpTheVersionInPlace() {
    let p = ParameterStore()
    var rng = SplitMix64(seed: 1)
    let w = p.add(name: "w", shape: [300, 300], initializer: .constant(0), rng: &rng)
    let before = p.values.withUnsafeBufferPointer { $0.baseAddress! }
    let v0 = p.valuesVersion
    p.values.withUnsafeMutableBufferPointer { $0[0] = 1 }
    #expect(p.values.withUnsafeBufferPointer { $0.baseAddress! } == before)
    #expect(p.valuesVersion != v0)
    let v1 = p.valuesVersion
    p.write(w, [Float](repeating: 2, count: 90_000))
    #expect(p.valuesVersion != v1 && p.values[5] == 2)
    let v2 = p.valuesVersion
    _ = p.values[3]
    #expect(p.valuesVersion == v2, "reads leave the version alone")
  }
}
