/// FarmHash `Fingerprint64` (the "na" variant), the string hash behind TensorFlow's
/// `tf.string_to_hash_bucket_fast`: bucket = `Fingerprint64(bytes) % buckets`.
///
/// Written from the published algorithm (google/farmhash, `farmhashna::Hash64`): inputs of
/// 0–16, 17–32 and 33–64 bytes are mixed directly; longer ones run a 64-byte block loop
/// over five 64-bit lanes and finish with the last 64 bytes. Reads are little-endian,
/// rotations are to the right, all arithmetic wraps modulo 2^64.
public enum FarmHash {
  private static let k0: UInt64 = 0xc3a5_c85c_97cb_3127
  private static let k1: UInt64 = 0xb492_b66f_be98_f273
  private static let k2: UInt64 = 0x9ae1_6a3b_2f90_404f

  /// Fingerprint64 of the UTF-8 bytes of `string`.
  public static func fingerprint64(_ string: String) -> UInt64 {
    fingerprint64(Array(string.utf8))
  }

  /// Fingerprint64 of `bytes`.
  public static func fingerprint64(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { hash64($0) }
  }

  @inline(__always) private static func load64(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
  }

  @inline(__always) private static func load32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
    UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
  }

  @inline(__always) private static func rotr(_ v: UInt64, _ shift: UInt64) -> UInt64 {
    (v >> shift) | (v << (64 - shift))
  }

  @inline(__always) private static func shiftMix(_ v: UInt64) -> UInt64 { v ^ (v >> 47) }

  private static func mix16(_ u: UInt64, _ v: UInt64, _ mul: UInt64) -> UInt64 {
    var a = (u ^ v) &* mul
    a ^= a >> 47
    var b = (v ^ a) &* mul
    b ^= b >> 47
    return b &* mul
  }

  private static func upTo16(_ s: UnsafeRawBufferPointer) -> UInt64 {
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
      let a = UInt32(s[0]), b = UInt32(s[s.count >> 1]), c = UInt32(s[s.count - 1])
      let y = a &+ (b << 8)
      let z = UInt32(truncatingIfNeeded: n) &+ (c << 2)
      return shiftMix((UInt64(y) &* k2) ^ (UInt64(z) &* k0)) &* k2
    }
    return k2
  }

  private static func from17To32(_ s: UnsafeRawBufferPointer) -> UInt64 {
    let n = s.count
    let mul = k2 &+ UInt64(n) &* 2
    let a = load64(s, 0) &* k1
    let b = load64(s, 8)
    let c = load64(s, n - 8) &* mul
    let d = load64(s, n - 16) &* k2
    return mix16(rotr(a &+ b, 43) &+ rotr(c, 30) &+ d, a &+ rotr(b &+ k2, 18) &+ c, mul)
  }

  private static func from33To64(_ s: UnsafeRawBufferPointer) -> UInt64 {
    let n = s.count
    let mul = k2 &+ UInt64(n) &* 2
    let a = load64(s, 0) &* k2
    let b = load64(s, 8)
    let c = load64(s, n - 8) &* mul
    let d = load64(s, n - 16) &* k2
    let y = rotr(a &+ b, 43) &+ rotr(c, 30) &+ d
    let z = mix16(y, a &+ rotr(b &+ k2, 18) &+ c, mul)
    let e = load64(s, 16) &* mul
    let f = load64(s, 24)
    let g = (y &+ load64(s, n - 32)) &* mul
    let h = (z &+ load64(s, n - 24)) &* mul
    return mix16(rotr(e &+ f, 43) &+ rotr(g, 30) &+ h, e &+ rotr(f &+ a, 18) &+ g, mul)
  }

  /// Two lanes from 32 bytes at `offset` and seeds `a`, `b`.
  private static func weak32(_ s: UnsafeRawBufferPointer, _ offset: Int, _ a0: UInt64, _ b0: UInt64) -> (UInt64, UInt64) {
    let w = load64(s, offset), x = load64(s, offset + 8), y = load64(s, offset + 16), z = load64(s, offset + 24)
    var a = a0 &+ w
    var b = rotr(b0 &+ a &+ z, 21)
    let c = a
    a = a &+ x
    a = a &+ y
    b = b &+ rotr(a, 44)
    return (a &+ z, b &+ c)
  }

  private static func hash64(_ s: UnsafeRawBufferPointer) -> UInt64 {
    let n = s.count
    if n <= 16 { return upTo16(s) }
    if n <= 32 { return from17To32(s) }
    if n <= 64 { return from33To64(s) }
    let seed: UInt64 = 81
    var x = seed
    var y = seed &* k1 &+ 113
    var z = shiftMix(y &* k2 &+ 113) &* k2
    var v: (UInt64, UInt64) = (0, 0), w: (UInt64, UInt64) = (0, 0)
    x = x &* k2 &+ load64(s, 0)
    let end = ((n - 1) / 64) * 64   // blocks before the final 1...64 bytes
    let last64 = n - 64
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
