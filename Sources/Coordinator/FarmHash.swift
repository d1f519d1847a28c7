/// FarmHash's `Fingerprint64` (farmhashna::Hash64), which TensorFlow's
/// `string_to_hash_bucket_fast` uses: `bucket = Fingerprint64(bytes) mod buckets`.
/// Little-endian loads; all arithmetic mod 2^64. Lengths 0–16, 17–32 and 33–64 have their
/// own mixes; longer inputs run a 64-byte block loop over a 56-byte state and finish on the
/// last 64 bytes. Checked against pyfarmhash's `fingerprint64` (see FarmHashTests).
public enum FarmHash {
  static let k0: UInt64 = 0xc3a5_c85c_97cb_3127
  static let k1: UInt64 = 0xb492_b66f_be98_f273
  static let k2: UInt64 = 0x9ae1_6a3b_2f90_404f

  public static func fingerprint64(_ string: String) -> UInt64 { fingerprint64(Array(string.utf8)) }

  public static func fingerprint64(_ s: [UInt8]) -> UInt64 {
    let n = s.count
    if n <= 16 { return short(s) }
    if n <= 32 { return medium(s) }
    if n <= 64 { return long64(s) }
    return blocks(s)
  }

  /// TensorFlow `tf.strings.to_hash_bucket_fast(s, buckets)`.
  public static func hashBucketFast(_ string: String, buckets: UInt64) -> UInt64 {
    precondition(buckets > 0, "hash bucket count must be positive")
    return fingerprint64(string) % buckets
  }

  @inline(__always) static func load64(_ s: [UInt8], _ i: Int) -> UInt64 {
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(s[i + k]) << (8 * UInt64(k)) }
    return v
  }
  @inline(__always) static func load32(_ s: [UInt8], _ i: Int) -> UInt64 {
    var v: UInt64 = 0
    for k in 0..<4 { v |= UInt64(s[i + k]) << (8 * UInt64(k)) }
    return v
  }
  @inline(__always) static func rotr(_ v: UInt64, _ r: UInt64) -> UInt64 { r == 0 ? v : (v >> r) | (v << (64 - r)) }
  @inline(__always) static func shiftMix(_ v: UInt64) -> UInt64 { v ^ (v >> 47) }

  /// Murmur-style mix of two words with multiplier `mul`.
  static func mix16(_ u: UInt64, _ v: UInt64, _ mul: UInt64) -> UInt64 {
    var a = (u ^ v) &* mul
    a ^= a >> 47
    var b = (v ^ a) &* mul
    b ^= b >> 47
    return b &* mul
  }

  static func short(_ s: [UInt8]) -> UInt64 {
    let n = UInt64(s.count)
    if s.count >= 8 {
      let mul = k2 &+ n &* 2
      let a = load64(s, 0) &+ k2
      let b = load64(s, s.count - 8)
      let c = rotr(b, 37) &* mul &+ a
      let d = (rotr(a, 25) &+ b) &* mul
      return mix16(c, d, mul)
    }
    if s.count >= 4 {
      let mul = k2 &+ n &* 2
      return mix16(n &+ (load32(s, 0) << 3), load32(s, s.count - 4), mul)
    }
    if s.count > 0 {
      let y = UInt32(s[0]) &+ (UInt32(s[s.count >> 1]) << 8)
      let z = UInt32(truncatingIfNeeded: n) &+ (UInt32(s[s.count - 1]) << 2)
      return shiftMix(UInt64(y) &* k2 ^ UInt64(z) &* k0) &* k2
    }
    return k2
  }

  static func medium(_ s: [UInt8]) -> UInt64 {
    let n = s.count
    let mul = k2 &+ UInt64(n) &* 2
    let a = load64(s, 0) &* k1, b = load64(s, 8)
    let c = load64(s, n - 8) &* mul, d = load64(s, n - 16) &* k2
    return mix16(rotr(a &+ b, 43) &+ rotr(c, 30) &+ d, a &+ rotr(b &+ k2, 18) &+ c, mul)
  }

  static func long64(_ s: [UInt8]) -> UInt64 {
    let n = s.count
    let mul = k2 &+ UInt64(n) &* 2
    let a = load64(s, 0) &* k2, b = load64(s, 8)
    let c = load64(s, n - 8) &* mul, d = load64(s, n - 16) &* k2
    let y = rotr(a &+ b, 43) &+ rotr(c, 30) &+ d
    let z = mix16(y, a &+ rotr(b &+ k2, 18) &+ c, mul)
    let e = load64(s, 16) &* mul, f = load64(s, 24)
    let g = (y &+ load64(s, n - 32)) &* mul
    let h = (z &+ load64(s, n - 24)) &* mul
    return mix16(rotr(e &+ f, 43) &+ rotr(g, 30) &+ h, e &+ rotr(f &+ a, 18) &+ g, mul)
  }

  /// 32 bytes at `i` folded into a (low, high) pair seeded with a, b.
  static func weak32(_ s: [UInt8], _ i: Int, _ a0: UInt64, _ b0: UInt64) -> (UInt64, UInt64) {
    let w = load64(s, i), x = load64(s, i + 8), y = load64(s, i + 16), z = load64(s, i + 24)
    var a = a0 &+ w
    var b = rotr(b0 &+ a &+ z, 21)
    let c = a
    a = a &+ x
    a = a &+ y
    b = b &+ rotr(a, 44)
    return (a &+ z, b &+ c)
  }

  static func blocks(_ s: [UInt8]) -> UInt64 {
    let n = s.count
    let seed: UInt64 = 81
    var x = seed
    var y = seed &* k1 &+ 113
    var z = shiftMix(y &* k2 &+ 113) &* k2
    var v: (UInt64, UInt64) = (0, 0)
    var w: (UInt64, UInt64) = (0, 0)
    x = x &* k2 &+ load64(s, 0)
    let end = ((n - 1) / 64) * 64
    let last64 = end + ((n - 1) & 63) - 63
    var p = 0
    repeat {
      x = rotr(x &+ y &+ v.0 &+ load64(s, p + 8), 37) &* k1
      y = rotr(y &+ v.1 &+ load64(s, p + 48), 42) &* k1
      x ^= w.1
      y = y &+ v.0 &+ load64(s, p + 40)
      z = rotr(z &+ w.0, 33) &* k1
      v = weak32(s, p, v.1 &* k1, x &+ w.0)
      w = weak32(s, p + 32, z &+ w.1, y &+ load64(s, p + 16))
      swap(&z, &x)
      p += 64
    } while p != end
    let mul = k1 &+ ((z & 0xff) << 1)
    p = last64
    w.0 = w.0 &+ UInt64((n - 1) & 63)
    v.0 = v.0 &+ w.0
    w.0 = w.0 &+ v.0
    x = rotr(x &+ y &+ v.0 &+ load64(s, p + 8), 37) &* mul
    y = rotr(y &+ v.1 &+ load64(s, p + 48), 42) &* mul
    x ^= w.1 &* 9
    y = y &+ v.0 &* 9 &+ load64(s, p + 40)
    z = rotr(z &+ w.0, 33) &* mul
    v = weak32(s, p, v.1 &* mul, x &+ w.0)
    w = weak32(s, p + 32, z &+ w.1, y &+ load64(s, p + 16))
    swap(&z, &x)
    return mix16(mix16(v.0, w.0, mul) &+ shiftMix(y) &* k0 &+ z, mix16(v.1, w.1, mul) &+ x, mul)
  }
}
