import Testing
@testable import Model

@Suite struct L2RegularizerTests {
  /// Only `regularized` variables count: loss = 0.0004·Σw²/2, gradient += 0.0004·w.
  @Test func regularizesMarkedKernelsOnly() {
    let params = ParameterStore()
    let k = params.add(name: "conv/weights", shape: [1, 1, 2, 2], regularized: true) { Float($0 + 1) }  // 1,2,3,4
    let b = params.add(name: "conv/biases", shape: [2], constant: 5)
    let k2 = params.add(name: "head/weights", shape: [3], regularized: true) { _ in -2 }
    params.add(name: "bn/moving_mean", shape: [2], trainable: false, constant: 9)
    params.gradients[k.offset] = 1     // gradients accumulate, not overwrite
    let reg = L2Regularizer()
    let expected: Float = Float(0.0004) * 15 + Float(0.0004) * 6        // (1+4+9+16)/2, (4·3)/2
    #expect(abs(reg.loss(params) - expected) < 1e-9)
    let v = reg.apply(to: params)
    #expect(abs(v - expected) < 1e-9)
    let s = Float(0.0004)
    let gk: [Float] = [1 + s * 1, s * 2, s * 3, s * 4]
    let gk2: [Float] = [s * -2, s * -2, s * -2]
    #expect(params.readGradient(k) == gk)
    #expect(params.readGradient(b) == [0, 0])
    #expect(params.readGradient(k2) == gk2)
  }
}
