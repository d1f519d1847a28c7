/// `train_config.gradient_clipping_by_norm` as the fork applies it: `optimize_loss(clip_gradients=
/// c)` calls `tf.clip_by_global_norm(gradients, c)` on the gradients `compute_gradients` returns —
/// Horovod's `DistributedOptimizer` has already averaged them over the workers, and only the
/// variables left to train (`TrainableMask`) have gradients. With n the global norm
/// sqrt(Σ over those gradients of g²):
/// ```
/// n ≤ c:  gradients unchanged            (TensorFlow multiplies by c·(1/c), 1 up to rounding)
/// n > c:  g ← g · (c · (1/n))            (Float32, as TensorFlow computes the scale)
/// n not finite: every gradient becomes NaN, as in TensorFlow
/// ```
/// so the clipped gradients' global norm is c (up to Float32 rounding). The norm comes from
/// `GradientSquareSum`, exact and independent of how the gradient is sharded.
/// Example: c = 1, gradients [3, 4] (n = 5) → scale 0.2 → [0.6, 0.8], norm 1.
public enum GradientClipping {
  /// The factor the gradients are multiplied by; nil when they stay as they are (no
  /// clipping asked, `clipNorm` ≤ 0, or n ≤ c).
  public static func scale(norm: Double, clipNorm: Float) -> Float? {
    guard clipNorm > 0 else { return nil }
    guard norm.isFinite else { return .nan }
    let n = Float(norm)
    guard n > clipNorm else { return nil }
    return clipNorm * (1 / n)
  }

  /// Multiplies `gradients[r]` by `scale` for every range.
  public static func apply(scale: Float, to gradients: UnsafeMutableBufferPointer<Float>, ranges: [Range<Int>]) {
    for r in ranges {
      precondition(r.lowerBound >= 0 && r.upperBound <= gradients.count,
                   "GradientClipping: range \(r) outside a buffer of \(gradients.count)")
      let g = gradients.baseAddress! + r.lowerBound
      for i in 0..<r.count { g[i] *= scale }
    }
  }

  /// Clips the whole (already averaged) gradient of one process: the global norm over
  /// `mask`'s trained ranges, then the scale on those ranges. Returns the norm before
  /// clipping (TensorFlow's `global_norm/gradient_norm` summary) and the scale applied.
  @discardableResult
  public static func clipByGlobalNorm(_ gradients: UnsafeMutableBufferPointer<Float>, mask: TrainableMask,
                                      clipNorm: Float) -> (norm: Double, scale: Float?) {
    var sum = GradientSquareSum()
    sum.add(UnsafeBufferPointer(gradients), ranges: mask.trainedRanges)
    let norm = sum.norm
    let s = scale(norm: norm, clipNorm: clipNorm)
    if let s { apply(scale: s, to: gradients, ranges: mask.trainedRanges) }
    return (norm, s)
  }

  /// `clipByGlobalNorm` over `params.gradients`.
  @discardableResult
  public static func clipByGlobalNorm(_ params: ParameterStore, mask: TrainableMask, clipNorm: Float)
    -> (norm: Double, scale: Float?) {
    params.gradients.withUnsafeMutableBufferPointer { clipByGlobalNorm($0, mask: mask, clipNorm: clipNorm) }
  }
}
