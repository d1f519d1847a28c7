import Foundation
import Testing
@testable import Model

/// The whole tiny network: shapes, determinism, gradients of every layer's parameters.
struct SSDNetworkTests {
  @Test func tinyOutputsHaveAnchorShapes() {
    let net = SSDNetwork(config: .tiny, seed: 1)
    var rng = SplitMix64(seed: 2)
    let x = Tensor.random([2, 64, 64, 3], in: -100...100, rng: &rng)
    let (box, cls) = net.forward(x)
    #expect(box.shape == [2, 504, 4])
    #expect(cls.shape == [2, 504, 4])
    // Initial class logits sit near the −4.6 bias (predictor weights are 0.01-scale).
    let meanLogit = cls.data.reduce(0, +) / Float(cls.count)
    #expect(abs(meanLogit + 4.6) < 0.5)
    // Same seed, same variables.
    #expect(SSDNetwork(config: .tiny, seed: 1).params.values == net.params.values)
    #expect(SSDNetwork(config: .tiny, seed: 3).params.values != net.params.values)
  }

  @Test func inferenceModeUsesMovingStatistics() {
    let net = SSDNetwork(config: .tiny, seed: 1)
    var rng = SplitMix64(seed: 2)
    let x = Tensor.random([1, 64, 64, 3], in: -100...100, rng: &rng)
    net.training = false
    let states = net.params.states
    let a = net.forward(x)
    let b = net.forward(x)
    #expect(a.classLogits.data == b.classLogits.data && a.boxEncodings.data == b.boxEncodings.data)
    #expect(net.params.states == states, "inference must not move BN statistics")
    // Forward-only mode (nothing kept for backward) runs the 3×3 convolutions as Winograd
    // F(4×4) with the batch norms folded in: the same outputs up to float32 rounding. With
    // training's F(4×4) (`Winograd.trainingUsesF4`) the kept-activations path runs the same
    // convolutions and applies the same affine map per element, so the bits agree too.
    net.keepsActivations = false
    let f = net.forward(x)
    #expect(net.params.states == states)
    for (fast, reference) in [(f.boxEncodings.data, a.boxEncodings.data), (f.classLogits.data, a.classLogits.data)] {
      let scale = reference.map(abs).max()!
      #expect(maxAbsDifference(fast, reference) <= 1e-5 * scale)
    }
    if Winograd.trainingUsesF4 {
      #expect(f.boxEncodings.data == a.boxEncodings.data && f.classLogits.data == a.classLogits.data)
    }
    net.keepsActivations = true
    net.training = true
    _ = net.forward(x)
    #expect(net.params.states != states)
  }

  /// Every trainable variable of the tiny model (batch norms in training mode) against
  /// central differences of L = Σ box·r₁ + Σ logits·r₂ (Double sums), ε = 1e-2.
  ///
  /// At initialization almost every ReLU6 sits at its kink region (β = 0), and one weight
  /// moves hundreds of units, so difference quotients of the raw model straddle kinks and
  /// converge to the analytic gradient only as ε → 0, where float32 noise takes over. The
  /// test therefore moves the network into its smooth interior first: every batch norm gets
  /// γ = 0.5, β = 3, so normalized activations lie in (0, 6) and the residual sums are
  /// positive; the class bias is set to 0 so the logits' rounding is fine. Nothing else
  /// changes (same wiring, same kernels). For every variable,
  /// 2 coordinates (the largest |analytic| among 4 random candidates each) must match:
  /// |fd − analytic| ≤ 10%·|analytic| + 1e-3·max|analytic of the variable| + 1e-3 (the
  /// float32 noise floor of the quotient, measured ~2e-4); a few coordinates (≤ 5%) may still
  /// straddle a max-pool switch or an outlier unit. A wrong layer gradient fails far more.
  @Test func tinyGradientsMatchFiniteDifferences() {
    let net = SSDNetwork(config: .tiny, seed: 5)
    let params = net.params
    for bn in net.batchNorms {
      params.write(bn.gamma, [Float](repeating: 0.5, count: bn.channels))
      params.write(bn.beta, [Float](repeating: 3, count: bn.channels))
    }
    // Logits near 0 instead of −4.6: their float32 rounding (the FD noise floor) is finer.
    let classBias = net.predictor.classHead[0].bias!
    params.write(classBias, [Float](repeating: 0, count: classBias.count))
    var rng = SplitMix64(seed: 6)
    // A smooth image (so features are not pure noise) plus a little noise.
    var x = Tensor.random([1, 64, 64, 3], in: -10...10, rng: &rng)
    for y in 0..<64 {
      for xx in 0..<64 {
        for c in 0..<3 {
          let phase: Double = 0.21 * Double(y) + 0.13 * Double(xx) + Double(c)
          x.data[(y * 64 + xx) * 3 + c] += Float(60 * sin(phase))
        }
      }
    }
    let (box0, cls0) = net.forward(x)
    let r1 = Tensor.random(box0.shape, rng: &rng), r2 = Tensor.random(cls0.shape, rng: &rng)
    func loss() -> Double {
      let (b, c) = net.forward(x)
      var s = 0.0
      for i in 0..<b.count { s += Double(b.data[i]) * Double(r1.data[i]) }
      for i in 0..<c.count { s += Double(c.data[i]) * Double(r2.data[i]) }
      return s
    }
    params.zeroGradients()
    _ = net.forward(x)
    net.backward(dBoxEncodings: r1, dClassLogits: r2)
    let grads = params.gradients
    var failed: [String] = []
    var compared = 0, variables = 0
    let e: Float = 1e-2
    for v in params.variables where v.param.trainable {
      variables += 1
      let p = v.param
      var scale: Float = 0
      for i in p.offset..<(p.offset + p.count) { scale = max(scale, abs(grads[i])) }
      for _ in 0..<2 {
        var best = p.offset + Int(rng.next() % UInt64(p.count))
        for _ in 0..<3 {
          let i = p.offset + Int(rng.next() % UInt64(p.count))
          if abs(grads[i]) > abs(grads[best]) { best = i }
        }
        let orig = params.values[best]
        params.values[best] = orig + e
        let lp = loss()
        params.values[best] = orig - e
        let lm = loss()
        params.values[best] = orig
        let fd = (lp - lm) / Double(2 * e), an = Double(grads[best])
        compared += 1
        if abs(fd - an) > 0.1 * abs(an) + 1e-3 * Double(scale) + 1e-3 {
          failed.append("\(v.name)[\(best - p.offset)]: fd \(fd) vs analytic \(an)")
        }
      }
    }
    #expect(variables == net.params.variables.filter { $0.param.trainable }.count)
    #expect(Double(failed.count) <= 0.05 * Double(compared),
            "\(failed.count) of \(compared) comparisons failed:\n\(failed.joined(separator: "\n"))")
  }

  /// Training with recomputed activations (`recomputesActivations`, the default) gives the
  /// same outputs, gradients and moving statistics, bit for bit, as keeping them all, over
  /// two steps (the second after an update, so released outputs of the first step cannot
  /// leak into it).
  @Test func recomputedActivationsGiveTheSameBits() {
    var rng = SplitMix64(seed: 4)
    let x = Tensor.random([2, 64, 64, 3], in: -100...100, rng: &rng)
    let kept = SSDNetwork(config: .tiny, seed: 3), recomputed = SSDNetwork(config: .tiny, seed: 3)
    kept.recomputesActivations = false
    #expect(recomputed.recomputesActivations)
    var dBox: Tensor?, dCls: Tensor?
    for _ in 0..<2 {
      var outputs: [[Float]] = []
      for net in [kept, recomputed] {
        net.params.zeroGradients()
        let (box, cls) = net.forward(x)
        if dBox == nil {
          dBox = Tensor.random(box.shape, rng: &rng)
          dCls = Tensor.random(cls.shape, rng: &rng)
        }
        net.backward(dBoxEncodings: dBox!, dClassLogits: dCls!)
        outputs.append(box.data + cls.data)
        net.params.values.withUnsafeMutableBufferPointer { v in
          for i in 0..<v.count { v[i] -= 0.01 * net.params.gradients[i] }
        }
      }
      #expect(outputs[0] == outputs[1])
      #expect(kept.params.gradients == recomputed.params.gradients)
      #expect(kept.params.states == recomputed.params.states)
      #expect(kept.params.values == recomputed.params.values)
    }
  }
}
