/// Vectorized float32 `exp` and `log1p` for the focal loss's hot loop (B × 12,804 × 91
/// elements per step), on 8-lane SIMD vectors so the compiler emits vector code with no
/// library calls. Accuracy: a few ulps of the C library (tests compare against `Foundation`).
public enum FastMath {
  public typealias Vector = SIMD8<Float>

  /// e^x for x ≤ 0 (Cephes `expf` reduction and polynomial; n = round(x/ln 2) by the
  /// 1.5·2^23 trick, so no float↔int conversions). Inputs below −87 are clamped to −87
  /// (result ≈ 1.6e−38 instead of a subnormal or 0).
  @inline(__always)
  public static func expNonPositive(_ x0: Vector) -> Vector {
    let x = x0.replacing(with: -87, where: x0 .< -87)
    let magic = Vector(repeating: 12_582_912)            // 1.5·2^23
    let big = x * 1.442_695_04 + magic
    let t = big - magic                                   // round(x·log2 e) as a float
    let r = x - t * 0.693_359_375 + t * 2.121_944_4e-4
    let r2 = r * r
    var y = Vector(repeating: 1.987_569_15e-4)
    y = y * r + 1.398_199_950_7e-3
    y = y * r + 8.333_451_907_3e-3
    y = y * r + 4.166_579_589_4e-2
    y = y * r + 1.666_666_545_9e-1
    y = y * r + 5.000_000_120_1e-1
    y = y * r2 + r + 1
    // The integer n sits in big's low mantissa bits: 2^n = (n + 127) << 23.
    let n = unsafeBitCast(big, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((n &+ 127) &<< 23, to: Vector.self)
    return y * scale
  }

  /// −|x| by setting the sign bit (`pointwiseMin` is an out-of-line call).
  @inline(__always)
  public static func negativeAbs(_ x: Vector) -> Vector {
    unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) | 0x8000_0000, to: Vector.self)
  }

  /// log(1 + e) for 0 ≤ e ≤ 1 via 2·atanh(s), s = e/(2 + e) ∈ [0, 1/3]: odd series to s^15.
  @inline(__always)
  public static func log1pUnit(_ e: Vector) -> Vector {
    let s = e / (2 + e)
    let s2 = s * s
    var p: Vector = Vector(repeating: 1.0 / 15)
    p = p * s2 + 1.0 / 13
    p = p * s2 + 1.0 / 11
    p = p * s2 + 1.0 / 9
    p = p * s2 + 1.0 / 7
    p = p * s2 + 1.0 / 5
    p = p * s2 + 1.0 / 3
    p = p * s2
    return 2 * (s + s * p)
  }
}

