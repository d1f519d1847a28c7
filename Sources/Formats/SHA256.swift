/// SHA-256 (FIPS 180-4), for `image/key/sha256` and for checking stored JPEG bytes.
/// Written here because CryptoKit does not exist on Linux and no other package is allowed.
/// Streaming: `update` any number of times, then `finalize` once.
public struct SHA256 {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
  private var buffer = [UInt8](repeating: 0, count: 64)
  private var buffered = 0
  private var totalBytes: UInt64 = 0

  private static let k: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]

  public init() {}

  /// The 32-byte digest of `bytes`.
  public static func digest<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
    var h = SHA256()
    h.update(bytes)
    return h.finalize()
  }

  /// The digest of `bytes` as 64 lowercase hex digits (Python's `hexdigest()`).
  public static func hexDigest<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    hex(digest(bytes))
  }

  /// Lowercase hex of `bytes`.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Feeds more message bytes.
  public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
    if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
  }

  /// Feeds more message bytes.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    totalBytes &+= UInt64(bytes.count)
    var i = 0
    let n = bytes.count
    if buffered > 0 {
      while buffered < 64 && i < n { buffer[buffered] = bytes[i]; buffered += 1; i += 1 }
      if buffered == 64 {
        let block = buffer
        block.withUnsafeBytes { compress($0, at: 0) }
        buffered = 0
      }
    }
    while i + 64 <= n {
      compress(bytes, at: i)
      i += 64
    }
    while i < n { buffer[buffered] = bytes[i]; buffered += 1; i += 1 }
  }

  /// Pads, finishes and returns the 32-byte digest. The hasher must not be used afterwards.
  public mutating func finalize() -> [UInt8] {
    let bitLength = totalBytes &* 8
    var tail: [UInt8] = [0x80]
    let padZeros = (64 + 56 - (buffered + 1) % 64) % 64
    tail += [UInt8](repeating: 0, count: padZeros)
    for k in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(k)))) }
    let saved = totalBytes
    update(tail)
    totalBytes = saved
    precondition(buffered == 0, "SHA256 padding left \(buffered) bytes")
    var out = [UInt8]()
    out.reserveCapacity(32)
    for w in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
      out += [UInt8(w >> 24), UInt8(truncatingIfNeeded: w >> 16), UInt8(truncatingIfNeeded: w >> 8), UInt8(truncatingIfNeeded: w)]
    }
    return out
  }

  @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

  /// One 64-byte block starting at `offset`.
  private mutating func compress(_ p: UnsafeRawBufferPointer, at offset: Int) {
    state = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      for t in 0..<16 {
        let o = offset + 4 * t
        w[t] = UInt32(p[o]) << 24 | UInt32(p[o + 1]) << 16 | UInt32(p[o + 2]) << 8 | UInt32(p[o + 3])
      }
      for t in 16..<64 {
        let s0 = Self.rotr(w[t - 15], 7) ^ Self.rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
        let s1 = Self.rotr(w[t - 2], 17) ^ Self.rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, h) = state
      Self.k.withUnsafeBufferPointer { k in
        for t in 0..<64 {
          let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
          let ch = (e & f) ^ (~e & g)
          let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
          let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
          let maj = (a & b) ^ (a & c) ^ (b & c)
          let t2 = s0 &+ maj
          h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
        }
      }
      return (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }
  }
}
