/// Weighted smooth-L1 (Huber) localization loss (Object Detection API
/// `WeightedSmoothL1LocalizationLoss` = `tf.losses.huber_loss`, spec §6), float32:
/// ```
/// e = prediction − target;  q = min(|e|, δ);  l = |e| − q
/// loss = (0.5·(q·q) + δ·l) · w          (= 0.5·e² if |e| ≤ δ, else δ·(|e| − δ/2), times w)
/// dloss/dprediction = clamp(e, −δ, δ) · w
/// ```
/// A NaN target is replaced by the prediction (`ignore_nan_targets`), giving loss 0.
/// Worked example (δ = 1, w = 1): e = 0.5 → 0.125, gradient 0.5; e = −3 → 2.5, gradient −1.
public struct WeightedSmoothL1Loss {
  public var delta: Float

  public init(delta: Float = 1.0) {
    precondition(delta > 0, "WeightedSmoothL1Loss needs delta > 0, got \(delta)")
    self.delta = delta
  }

  /// Loss and dloss/dprediction of one coordinate with weight 1.
  @inline(__always)
  public func elementValueAndGradient(prediction: Float, target: Float) -> (loss: Float, gradient: Float) {
    let e = target.isNaN ? 0 : prediction - target
    let a = abs(e)
    let q = min(a, delta)
    let l = a - q
    return (0.5 * (q * q) + delta * l, min(max(e, -delta), delta))
  }

  /// One anchor's `count` codes (4): writes `dPredictions = gradientScale · w · clamp(e)`
  /// (overwrites) and returns Σ loss · w.
  @inline(__always)
  public func accumulateRow(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
                            weight w: Float, gradientScale: Float,
                            dPredictions: UnsafeMutablePointer<Float>) -> Float {
    if w == 0 {
      dPredictions.update(repeating: 0, count: count)
      return 0
    }
    var sum: Float = 0
    let gw = gradientScale * w
    for k in 0..<count {
      let g = elementValueAndGradient(prediction: predictions[k], target: targets[k])
      sum += g.loss * w
      dPredictions[k] = gw * g.gradient
    }
    return sum
  }
}
