import Foundation
import Testing
@testable import Model

@Suite struct SigmoidFocalLossTests {
  let focal = SigmoidFocalLoss()

  /// Values from FL = α_t(1 − p_t)²(−ln p_t) worked in double by hand (python, math module).
  /// Tolerance 2e−5 relative: for negatives TensorFlow's op order forms 1 − (1 − p), which
  /// loses ~ulp(1)/p relative precision (6e−6 at x = −4.6).
  @Test func handWorkedElements() {
    let cases: [(x: Float, z: Float, loss: Double, grad: Double)] = [
      (0, 0, 0.12996509635498973, 0.22371509639240728),
      (0, 1, 0.04332169878499658, -0.07457169879515613),
      (2, 1, 0.0004508907088100953, -0.0012177350485940118),
      (-4.6, 0, 7.429104156481948e-07, 2.2102418388878176e-06),
      (-4.6, 1, 1.1296756432414963, -0.26509479733594077),
      (3, 0, 2.074710330768949, 0.8450624098266246),
    ]
    for c in cases {
      let g = focal.elementValueAndGradient(logit: c.x, target: c.z)
      #expect(abs(Double(g.loss) - c.loss) <= 2e-5 * c.loss, "loss at x \(c.x) z \(c.z): \(g.loss)")
      #expect(abs(Double(g.gradient) - c.grad) <= 2e-5 * abs(c.grad), "grad at x \(c.x) z \(c.z): \(g.gradient)")
      // The row kernel on a one-element row.
      var d: Float = 0
      let l = [c.x].withUnsafeBufferPointer {
        focal.accumulateRow(logits: $0.baseAddress!, count: 1, positiveSlot: c.z == 1 ? 0 : -1,
                            weight: 1, gradientScale: 1, dLogits: &d)
      }
      #expect(abs(l - c.loss) <= 2e-5 * c.loss)
      #expect(abs(Double(d) - c.grad) <= 2e-5 * abs(c.grad))
    }
  }

  /// The fast row kernel agrees with the naive element function on random rows
  /// (relative 1e−5), including saturated logits, weights and gradient scale.
  @Test func rowKernelMatchesElementFunction() {
    var rng = SplitMix64(seed: 21)
    for trial in 0..<40 {
      let n = 91
      var x = (0..<n).map { _ in rng.nextFloat(in: -12...12) }
      x[0] = 90; x[1] = -90; x[2] = 0; x[3] = 1e-7
      let slot = trial % 3 == 0 ? -1 : Int(rng.next() % UInt64(n))
      let w: Float = trial % 5 == 0 ? 0 : rng.nextFloat(in: 0.1...2)
      let scale: Float = 0.37
      var d = [Float](repeating: .nan, count: n)
      let loss = x.withUnsafeBufferPointer { xp in
        d.withUnsafeMutableBufferPointer { dp in
          focal.accumulateRow(logits: xp.baseAddress!, count: n, positiveSlot: slot, weight: w,
                              gradientScale: scale, dLogits: dp.baseAddress!)
        }
      }
      var ref = 0.0
      for k in 0..<n {
        let g = focal.elementValueAndGradient(logit: x[k], target: k == slot ? 1 : 0)
        ref += Double(g.loss) * Double(w)
        let rg = Double(scale * w * g.gradient)
        #expect(abs(Double(d[k]) - rg) <= 1e-5 * abs(rg) + 1e-30, "trial \(trial) slot \(k): \(d[k]) vs \(rg)")
      }
      #expect(abs(loss - ref) <= 1e-5 * ref + 1e-30, "trial \(trial): \(loss) vs \(ref)")
    }
  }

  /// Analytic gradients against central differences of the float64 textbook formula.
  @Test func gradientsMatchFiniteDifferences() {
    for gamma: Float in [2, 1.5] {
      let f = SigmoidFocalLoss(alpha: 0.25, gamma: gamma)
      for x in stride(from: Float(-8), through: 8, by: 0.73) {
        for z: Float in [0, 1] {
          let h = 1e-5
          let fd = (LossReference.focal(Double(x) + h, Double(z), gamma: Double(gamma))
                    - LossReference.focal(Double(x) - h, Double(z), gamma: Double(gamma))) / (2 * h)
          let g = f.elementValueAndGradient(logit: x, target: z).gradient
          #expect(abs(Double(g) - fd) <= 1e-4 * abs(fd) + 1e-7, "γ \(gamma) x \(x) z \(z): \(g) vs \(fd)")
          let v = f.elementValueAndGradient(logit: x, target: z).loss
          let rv = LossReference.focal(Double(x), Double(z), gamma: Double(gamma))
          #expect(abs(Double(v) - rv) <= 1e-5 * rv + 1e-9, "γ \(gamma) x \(x) z \(z) value")
        }
      }
    }
  }

  /// A confident negative rounds 1 − (1 − p) like TensorFlow: for x = −20, 1 − p is 1 in
  /// float32, so the loss and its gradient are exactly 0.
  @Test func saturatedNegativeIsExactlyZero() {
    let g = focal.elementValueAndGradient(logit: -20, target: 0)
    var d: Float = 1
    let l = [Float(-20)].withUnsafeBufferPointer {
      focal.accumulateRow(logits: $0.baseAddress!, count: 1, positiveSlot: -1, weight: 1, gradientScale: 1, dLogits: &d)
    }
    #expect(g.loss == 0 && l == 0 && d == 0)
  }
}
