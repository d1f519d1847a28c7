import Testing
@testable import Model

@Suite struct WeightedSmoothL1LossTests {
  let huber = WeightedSmoothL1Loss()

  @Test func handWorkedValues() {
    #expect(huber.elementValueAndGradient(prediction: 0.5, target: 0) == (0.125, 0.5))
    #expect(huber.elementValueAndGradient(prediction: -3, target: 0) == (2.5, -1))
    #expect(huber.elementValueAndGradient(prediction: 2, target: 1) == (0.5, 1))       // |e| = δ
    #expect(huber.elementValueAndGradient(prediction: 1, target: 2.5) == (1.0, -1))
    #expect(huber.elementValueAndGradient(prediction: 7, target: .nan) == (0, 0))      // ignore_nan_targets
    let h2 = WeightedSmoothL1Loss(delta: 2)
    let expected: (Float, Float) = (0.5 * 4 + 2 * 3, 2)
    #expect(h2.elementValueAndGradient(prediction: 5, target: 0) == expected)
  }

  /// Row: Σ over 4 codes times the weight; gradient scaled by scale·w.
  @Test func rowSumsCodesAndScales() {
    let p: [Float] = [0.5, -3, 0, 1], t: [Float] = [0, 0, 0, 0]
    var d = [Float](repeating: .nan, count: 4)
    let l = p.withUnsafeBufferPointer { pp in
      t.withUnsafeBufferPointer { tp in
        d.withUnsafeMutableBufferPointer { dp in
          huber.accumulateRow(predictions: pp.baseAddress!, targets: tp.baseAddress!, count: 4,
                              weight: 2, gradientScale: 0.25, dPredictions: dp.baseAddress!)
        }
      }
    }
    let expectedLoss: Float = 2 * (0.125 + 2.5 + 0 + 0.5)
    let expectedGrad: [Float] = [0.25, -0.5, 0, 0.5]
    #expect(l == expectedLoss)
    #expect(d == expectedGrad)
    // Weight 0: loss 0, gradients zeroed.
    let z = p.withUnsafeBufferPointer { pp in
      t.withUnsafeBufferPointer { tp in
        d.withUnsafeMutableBufferPointer { dp in
          huber.accumulateRow(predictions: pp.baseAddress!, targets: tp.baseAddress!, count: 4,
                              weight: 0, gradientScale: 1, dPredictions: dp.baseAddress!)
        }
      }
    }
    #expect(z == 0 && d == [0, 0, 0, 0])
  }

  @Test func gradientsMatchFiniteDifferences() {
    for e in stride(from: -3.1, through: 3.1, by: 0.29) {
      let h = 1e-6
      let fd = (LossReference.huber(e + h) - LossReference.huber(e - h)) / (2 * h)
      let g = huber.elementValueAndGradient(prediction: Float(e), target: 0).gradient
      #expect(abs(Double(g) - fd) < 1e-5, "e \(e)")
    }
  }
}
