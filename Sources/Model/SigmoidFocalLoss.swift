import Foundation

/// Sigmoid focal loss (Object Detection API `SigmoidFocalClassificationLoss`, spec §6),
/// element-wise over logits x with targets z ∈ {0, 1}, in TensorFlow's float32 op order:
/// ```
/// ce  = max(x, 0) − x·z + log1p(exp(−|x|))
/// p   = sigmoid(x);  p_t = z·p + (1 − z)·(1 − p);  m = 1 − p_t
/// α_t = z·α + (1 − z)·(1 − α)
/// FL  = ((m^γ · α_t) · ce) · w
/// dFL/dx = w·α_t·[ −γ·m^(γ−1)·(2z − 1)·p·(1 − p)·ce + m^γ·(p − z) ]
/// ```
/// Worked example (x = 0, z = 0, α = 0.25, γ = 2, w = 1): p = 0.5, m = 0.5, ce = ln 2,
/// FL = 0.25 · 0.75 · ln 2 = 0.1299651; dFL/dx = 0.75·(2·0.5·0.25·ln 2 + 0.25·0.5) = 0.2237151.
///
/// The fast row kernel (`accumulateRow`) computes exp once per element and, for γ = 2,
/// squares instead of calling pow; the z = 0 elements (90 of 91 per anchor) run 8 lanes at a
/// time through `FastMath` (few-ulp exp/log1p, sigmoid as 1/(1 + e) or e/(1 + e) with
/// e = exp(−|x|)). `elementValueAndGradient` is the plain libm per-element version it is
/// tested against. TensorFlow's own sigmoid/log differ from libm by ulps, which the
/// 1 − (1 − p) cancellation can magnify to ~3e−4 relative on losses below 1e−10.
public struct SigmoidFocalLoss {
  public var alpha: Float
  public var gamma: Float

  public init(alpha: Float = 0.25, gamma: Float = 2.0) {
    self.alpha = alpha
    self.gamma = gamma
  }

  /// Loss and dLoss/dx of one element with weight 1 (naive: pow, separate sigmoid).
  public func elementValueAndGradient(logit x: Float, target z: Float) -> (loss: Float, gradient: Float) {
    let relu = x >= 0 ? x : 0
    let negAbs = x >= 0 ? -x : x
    let ce = (relu - x * z) + Foundation.log1p(Foundation.exp(negAbs))
    let p = 1 / (1 + Foundation.exp(-x))
    let pt = z * p + (1 - z) * (1 - p)
    let m = 1 - pt
    let alphaT = z * alpha + (1 - z) * (1 - alpha)
    let mod = Foundation.pow(m, gamma)
    let loss = (mod * alphaT) * ce
    let dpt = (2 * z - 1) * p * (1 - p)
    let dmod = m > 0 ? gamma * Foundation.pow(m, gamma - 1) : 0
    let grad = alphaT * (-dmod * dpt * ce + mod * (p - z))
    return (loss, grad)
  }

  /// One anchor's row of `count` logits whose targets are all 0 except a 1 at
  /// `positiveSlot` (pass −1 when the whole row is negative).
  ///
  /// Writes `dLogits[0..<count] = gradientScale · w · dFL/dx` (overwrites) and returns
  /// Σ_k FL_k · w (row summed in float32, returned as double).
  @inline(__always)
  public func accumulateRow(logits: UnsafePointer<Float>, count: Int, positiveSlot: Int, weight w: Float,
                            gradientScale: Float, dLogits: UnsafeMutablePointer<Float>) -> Double {
    if w == 0 {
      dLogits.update(repeating: 0, count: count)
      return 0
    }
    let gw = gradientScale * w
    let pos = positiveSlot >= 0 && positiveSlot < count ? positiveSlot : count
    var sum = negatives(logits, 0, pos, w, gw, dLogits)
    if pos < count {
      let x = logits[pos]
      let g: (loss: Float, gradient: Float)
      if gamma == 2 {
        let e = Foundation.exp(x >= 0 ? -x : x)
        let r = 1 / (1 + e)
        let p = x >= 0 ? r : e * r
        let q = 1 - p
        let ce = ((x >= 0 ? x : 0) - x) + Foundation.log1p(e)
        let m = q                           // 1 − p_t with p_t = p (z = 1)
        g = (((m * m) * alpha) * ce, alpha * (-2 * m * (p * q) * ce + (m * m) * (p - 1)))
      } else {
        g = elementValueAndGradient(logit: x, target: 1)
      }
      sum += g.loss * w
      dLogits[pos] = gw * g.gradient
      sum += negatives(logits, pos + 1, count, w, gw, dLogits)
    }
    return Double(sum)
  }

  /// Negative (z = 0) elements lo..<hi: writes gradients, returns Σ FL·w.
  /// γ = 2 runs 8 lanes at a time with `FastMath` (no library calls); other γ use the
  /// element function.
  @inline(__always)
  private func negatives(_ logits: UnsafePointer<Float>, _ lo: Int, _ hi: Int, _ w: Float, _ gw: Float,
                         _ dLogits: UnsafeMutablePointer<Float>) -> Float {
    if hi <= lo { return 0 }
    if gamma != 2 {
      var sum: Float = 0
      for k in lo..<hi {
        let g = elementValueAndGradient(logit: logits[k], target: 0)
        sum += g.loss * w
        dLogits[k] = gw * g.gradient
      }
      return sum
    }
    typealias V = FastMath.Vector
    let aNeg = 1 - alpha
    var acc = V(repeating: 0)
    var k = lo
    @inline(__always) func chunk(_ x: V) -> (V, V) {
      let e = FastMath.expNonPositive(FastMath.negativeAbs(x))
      let r = 1 / (1 + e)
      let p = (e * r).replacing(with: r, where: x .>= 0)
      let q = 1 - p
      let ce = x.replacing(with: 0, where: x .< 0) + FastMath.log1pUnit(e)
      let m = 1 - q                         // 1 − p_t with p_t = 1 − p (z = 0)
      let m2 = m * m
      let fl = ((m2 * aNeg) * ce) * w
      let g = gw * (aNeg * (2 * m * (p * q) * ce + m2 * p))
      return (fl, g)
    }
    while k + 8 <= hi {
      let x = UnsafeRawPointer(logits + k).loadUnaligned(as: V.self)
      let (fl, g) = chunk(x)
      acc += fl
      UnsafeMutableRawPointer(dLogits + k).storeBytes(of: g, as: V.self)
      k += 8
    }
    if k < hi {
      // Tail: pad with −100 (loss and gradient exactly 0), store only the real lanes.
      var x = V(repeating: -100)
      for i in 0..<(hi - k) { x[i] = logits[k + i] }
      let (fl, g) = chunk(x)
      acc += fl
      for i in 0..<(hi - k) { dLogits[k + i] = g[i] }
    }
    return acc.sum()
  }
}
