/// A colour change with its random parameter already drawn, applied like the OD API does it:
/// `tf.image.adjust_*(image / 255, p) * 255`, then clip to [0, 255] (all float32).
/// TensorFlow's formulas: brightness adds δ; contrast maps x → (x − mean_c)·f + mean_c per
/// channel c; saturation and hue go through TF's HSV kernels (`adjust_saturation_op.cc`,
/// `adjust_hue_op.cc`). The contrast mean is accumulated in float64 (TF's Eigen reduction
/// order cannot be reproduced; differences are at float32 rounding level).
public enum ColorAdjustment: Equatable, Sendable {
  case brightness(delta: Float)
  case contrast(factor: Float)
  case saturation(factor: Float)
  case hue(delta: Float)

  /// Applies the adjustment in place.
  public func apply(to image: inout FloatImage) {
    let n = image.height * image.width
    image.values.withUnsafeMutableBufferPointer { v in
      for i in 0..<v.count { v[i] = v[i] / 255 }
      switch self {
      case .brightness(let delta):
        for i in 0..<v.count { v[i] = v[i] + delta }
      case .contrast(let factor):
        let means = Self.channelMeans(UnsafeBufferPointer(v), pixels: n)
        for p in 0..<n { for c in 0..<3 { v[3 * p + c] = means[c] + factor * (v[3 * p + c] - means[c]) } }
      case .saturation(let factor):
        for p in 0..<n {
          let (h, s, val) = Self.rgbToHSV(v[3 * p], v[3 * p + 1], v[3 * p + 2])
          (v[3 * p], v[3 * p + 1], v[3 * p + 2]) = Self.hsvToRGB(h, min(1, max(0, s * factor)), val)
        }
      case .hue(let delta):
        for p in 0..<n {
          var (h, vmin, vmax) = Self.rgbToHVRange(v[3 * p], v[3 * p + 1], v[3 * p + 2])
          h += delta * 6
          while h < 0 { h += 6 }
          while h >= 6 { h -= 6 }
          (v[3 * p], v[3 * p + 1], v[3 * p + 2]) = Self.hvRangeToRGB(h, vmin, vmax)
        }
      }
      for i in 0..<v.count { v[i] = min(max(v[i] * 255, 0), 255) }
    }
  }

  /// Per-channel means of an HWC image as `AdjustContrastv2` computes them: the pixel array is
  /// folded in half repeatedly (first half += second half, the odd middle pixel carried), in
  /// float32, until one pixel remains; then multiplied by `1 / pixels`.
  /// Example, 5 pixels a…e: [a+d, b+e, c] → [a+d+c, b+e] → [(a+d+c)+(b+e)].
  static func channelMeans(_ v: UnsafeBufferPointer<Float>, pixels n: Int) -> [Float] {
    guard n > 0 else { return [0, 0, 0] }
    var sum = [Float](repeating: 0, count: n * 3)
    var remaining = n, round = 0
    repeat {
      let right = remaining / 2, left = remaining - right
      if round == 0 {
        for k in 0..<(right * 3) { sum[k] = v[left * 3 + k] + v[k] }
        if left > right { for c in 0..<3 { sum[right * 3 + c] = v[right * 3 + c] } }
      } else {
        for k in 0..<(right * 3) { sum[k] += sum[left * 3 + k] }
      }
      remaining = left
      round += 1
    } while remaining > 1
    let scale = 1 / Float(n)
    return [sum[0] * scale, sum[1] * scale, sum[2] * scale]
  }

  /// TF `rgb_to_hsv` of the saturation kernel: h in [0, 1).
  static func rgbToHSV(_ r: Float, _ g: Float, _ b: Float) -> (Float, Float, Float) {
    let vv = max(r, max(g, b))
    let range = vv - min(r, min(g, b))
    let s: Float = vv > 0 ? range / vv : 0
    let norm = 1 / (6 * range)
    var hh: Float
    if r == vv {
      hh = norm * (g - b)
    } else if g == vv {
      hh = Float(Double(norm * (b - r)) + 2.0 / 6.0)  // C: float + double
    } else {
      hh = Float(Double(norm * (r - g)) + 4.0 / 6.0)
    }
    if range <= 0 { hh = 0 }
    if hh < 0 { hh += 1 }
    return (hh, s, vv)
  }

  /// TF `hsv_to_rgb` of the saturation kernel.
  static func hsvToRGB(_ h: Float, _ s: Float, _ v: Float) -> (Float, Float, Float) {
    let c = s * v
    let m = v - c
    let dh = h * 6
    let category = Int(dh)
    var fmodu = dh
    while fmodu <= 0 { fmodu += 2 }
    while fmodu >= 2 { fmodu -= 2 }
    let x = c * (1 - abs(fmodu - 1))
    let (rr, gg, bb): (Float, Float, Float)
    switch category {
    case 0: (rr, gg, bb) = (c, x, 0)
    case 1: (rr, gg, bb) = (x, c, 0)
    case 2: (rr, gg, bb) = (0, c, x)
    case 3: (rr, gg, bb) = (0, x, c)
    case 4: (rr, gg, bb) = (x, 0, c)
    case 5: (rr, gg, bb) = (c, 0, x)
    default: (rr, gg, bb) = (0, 0, 0)
    }
    return (rr + m, gg + m, bb + m)
  }

  /// TF `rgb_to_hv_range` of the hue kernel: h in [0, 6).
  static func rgbToHVRange(_ r: Float, _ g: Float, _ b: Float) -> (Float, Float, Float) {
    let vmax: Float, vmid: Float, vmin: Float, category: Int
    if r < g {
      if b < r { (vmax, vmid, vmin, category) = (g, r, b, 1) }
      else if b > g { (vmax, vmid, vmin, category) = (b, g, r, 3) }
      else { (vmax, vmid, vmin, category) = (g, b, r, 2) }
    } else {
      if b < g { (vmax, vmid, vmin, category) = (r, g, b, 0) }
      else if b > r { (vmax, vmid, vmin, category) = (b, r, g, 4) }
      else { (vmax, vmid, vmin, category) = (r, b, g, 5) }
    }
    if vmax == vmin { return (0, vmin, vmax) }
    let ratio = (vmid - vmin) / (vmax - vmin)
    let increase = category & 1 == 0
    return (Float(category) + (increase ? ratio : 1 - ratio), vmin, vmax)
  }

  /// TF `hv_range_to_rgb` of the hue kernel.
  static func hvRangeToRGB(_ h: Float, _ vmin: Float, _ vmax: Float) -> (Float, Float, Float) {
    let category = Int(h)
    var ratio = h - Float(category)
    if category & 1 != 0 { ratio = 1 - ratio }
    let vmid = vmin + ratio * (vmax - vmin)
    switch category {
    case 0: return (vmax, vmid, vmin)
    case 1: return (vmid, vmax, vmin)
    case 2: return (vmin, vmax, vmid)
    case 3: return (vmin, vmid, vmax)
    case 4: return (vmid, vmin, vmax)
    default: return (vmax, vmin, vmid)
    }
  }
}
