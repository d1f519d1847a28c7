/// The exact sum of squares of Float32 values, independent of how they are split and in
/// which order they are added: the global gradient norm that `gradient_clipping_by_norm`
/// needs comes out bit-identical whether one worker sums the whole averaged gradient or N
/// workers each sum their ZeRO-1 shard and the N partial sums are added.
///
/// A finite Float32 is m·2^(b−150) with an integer m < 2^24 and b = max(exponent field, 1)
/// in 1…254, so its square is the integer m² < 2^48 times 2^(2(b−150)). The accumulator keeps,
/// per b, the exact integer Σm² (two 64-bit words) plus a count of non-finite values; adding
/// integers is associative, so any split gives the same buckets. Between workers the buckets
/// travel as Float32 16-bit chunks (`wire`): a sum of up to 255 such chunks is an integer below
/// 2^24, exact in a Float32 all-reduce whatever its order. `sum` then rounds the exact value
/// once per bucket, the same way on every worker.
///
/// Worked example: 3.0 = 12582912·2^-22 (b = 128): bucket 128 gets 12582912² = 158329674399744,
/// and sum = 158329674399744·2^-44 = 9.0.
public struct GradientSquareSum: Equatable, Sendable {
  /// Exact Σm² per exponent b (index b, 0 and 255 unused), as (low, high) 64-bit words.
  private(set) var low = [UInt64](repeating: 0, count: 256)
  private(set) var high = [UInt64](repeating: 0, count: 256)
  /// Infinities and NaNs seen (they make the norm non-finite, as in TensorFlow).
  public private(set) var nonFinite = 0

  public init() {}

  /// Adds the squares of `values[r]` for every `r` in `ranges`.
  public mutating func add(_ values: UnsafeBufferPointer<Float>, ranges: [Range<Int>]) {
    for r in ranges {
      precondition(r.lowerBound >= 0 && r.upperBound <= values.count,
                   "GradientSquareSum: range \(r) outside a buffer of \(values.count)")
      add(UnsafeBufferPointer(rebasing: values[r]))
    }
  }

  /// Adds the squares of every value.
  public mutating func add(_ values: UnsafeBufferPointer<Float>) {
    low.withUnsafeMutableBufferPointer { lo in
      high.withUnsafeMutableBufferPointer { hi in
        for v in values {
          let bits = v.bitPattern
          let e = Int((bits >> 23) & 0xFF)
          if e == 0xFF {
            nonFinite += 1
            continue
          }
          let f = UInt64(bits & 0x7F_FFFF)
          if e == 0 && f == 0 { continue }
          let m = e == 0 ? f : f | 0x80_0000
          let b = max(e, 1)
          let (s, overflow) = lo[b].addingReportingOverflow(m &* m)
          lo[b] = s
          if overflow { hi[b] &+= 1 }
        }
      }
    }
  }

  /// Adds another partial sum (exact).
  public mutating func add(_ other: GradientSquareSum) {
    for b in 0..<256 {
      let (s, overflow) = low[b].addingReportingOverflow(other.low[b])
      low[b] = s
      high[b] &+= other.high[b] &+ (overflow ? 1 : 0)
    }
    nonFinite += other.nonFinite
  }

  /// Chunks per bucket on the wire: 5 × 16 bits hold sums below 2^80 (2^32 squares < 2^48).
  static let chunks = 5

  /// The number of Float32 values of `wire`.
  public static var wireCount: Int { 256 * chunks + 1 }

  /// The buckets as 16-bit chunks in Float32 (then the non-finite count), for a Float32
  /// sum over workers; `init(wire:)` reads the sum back. Exact for up to 255 addends.
  public var wire: [Float] {
    var out = [Float](repeating: 0, count: Self.wireCount)
    for b in 0..<256 {
      precondition(high[b] < 1 << 16, "GradientSquareSum: bucket \(b) exceeds 2^80 (more than 2^32 values)")
      for k in 0..<Self.chunks {
        let word = k < 4 ? low[b] >> (16 * k) : high[b]
        out[b * Self.chunks + k] = Float(word & 0xFFFF)
      }
    }
    out[256 * Self.chunks] = Float(min(nonFinite, 1 << 16))
    return out
  }

  /// The sum of several workers' `wire` arrays (added element-wise in any order).
  public init(wire: [Float]) {
    precondition(wire.count == Self.wireCount, "GradientSquareSum: wire of \(wire.count) values, expected \(Self.wireCount)")
    for b in 0..<256 {
      // Chunk k carries weight 2^(16k); each summed chunk is an integer < 2^24.
      var carry: UInt64 = 0
      var lo: UInt64 = 0
      for k in 0..<4 {
        let c = UInt64(wire[b * Self.chunks + k]) + carry
        lo |= (c & 0xFFFF) << (16 * k)
        carry = c >> 16
      }
      low[b] = lo
      high[b] = UInt64(wire[b * Self.chunks + 4]) + carry
    }
    nonFinite = Int(wire[256 * Self.chunks])
  }

  /// Σ v², rounded from the exact value (infinite if any value was infinite or NaN).
  public var sum: Double {
    if nonFinite > 0 { return .infinity }
    var total = 0.0
    for b in 1..<255 where low[b] != 0 || high[b] != 0 {
      let scale = 2 * (b - 150)
      total += Double(low[b]) * Double(sign: .plus, exponent: scale, significand: 1)
      total += Double(high[b]) * Double(sign: .plus, exponent: scale + 64, significand: 1)
    }
    return total
  }

  /// The global norm sqrt(Σ v²) (`tf.linalg.global_norm`); NaN if a value was not finite.
  public var norm: Double { nonFinite > 0 ? .nan : sum.squareRoot() }
}
