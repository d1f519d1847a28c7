import Foundation
@testable import Model

/// Float64 reference formulas for the loss tests, written from the textbook definitions
/// (not TensorFlow's op order): FL = α_t·(1 − p_t)^γ·(−ln p_t), Huber, and the SSD loss of a
/// batch from dense targets.
enum LossReference {
  static func focal(_ x: Double, _ z: Double, alpha: Double = 0.25, gamma: Double = 2) -> Double {
    let p = 1 / (1 + exp(-x))
    let pt = z * p + (1 - z) * (1 - p)
    let at = z * alpha + (1 - z) * (1 - alpha)
    // −ln p_t in a form that stays accurate for large |x|.
    let ce = max(x, 0) - x * z + log1p(exp(-abs(x)))
    return at * pow(1 - pt, gamma) * ce
  }

  static func huber(_ e: Double, delta: Double = 1) -> Double {
    abs(e) <= delta ? 0.5 * e * e : delta * (abs(e) - 0.5 * delta)
  }

  /// (classification, localization) of a batch with targets from `assignReference`.
  static func ssdLoss(box: [Double], logits: [Double], targets: [AssignedTargets], anchors: Int,
                      slots: Int) -> (Double, Double) {
    var n = 0.0
    for t in targets { n += t.regressionWeights.reduce(0) { $0 + Double($1) } }
    n = max(n, 1)
    var cls = 0.0, loc = 0.0
    for (i, t) in targets.enumerated() {
      let dense = t.denseClassTargets()
      for j in 0..<anchors {
        let row = i * anchors + j
        for k in 0..<slots {
          cls += Double(t.classWeights[j]) * focal(logits[row * slots + k], Double(dense[j * slots + k]))
        }
        for k in 0..<4 {
          loc += Double(t.regressionWeights[j]) * huber(box[row * 4 + k] - Double(t.regressionTargets[j * 4 + k]))
        }
      }
    }
    return (cls / n, loc / (4 * n))
  }
}
