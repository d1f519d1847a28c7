/// Decoding of the keys TensorFlow gives tensor slices (V1 records, V2 slices of partitioned
/// tensors): OrderedCode of (0, name, rank, start₀, length₀, …), spec §10.3.
///
/// - number 0: one byte `00` (unsigned numbers are a length byte + big-endian bytes);
/// - the name: bytes with `00 → 00 FF` and `FF → FF 00`, terminated by `00 01`;
/// - the rank: an unsigned number (`01 04` for 4, `00` for 0);
/// - per dimension, start and length as signed numbers, length −1 meaning "whole dimension".
///   A signed number of n bytes is its sign-extended big-endian value XOR a header of n
///   leading one bits; e.g. 0 → `80`, −1 → `7F`, 5 → `85`, 100 → `C0 64`.
enum OrderedCode {
  /// Decoded slice key: tensor name and, per dimension, (start, length or nil for all).
  struct SliceKey: Equatable {
    var name: String
    var extents: [SliceExtent]
  }

  /// The name only (enough for V1 records, whose values carry the slice).
  static func tensorName(fromKey key: [UInt8]) -> String? {
    var i = 0
    return decodeNameAndAdvance(key, &i)
  }

  /// Name and slice extents.
  static func sliceKey(_ key: [UInt8]) -> SliceKey? {
    var i = 0
    guard let name = decodeNameAndAdvance(key, &i), let rank = unsigned(key, &i), rank <= 64 else { return nil }
    var extents: [SliceExtent] = []
    for _ in 0..<rank {
      guard let start = signed(key, &i), let length = signed(key, &i), start >= 0, length >= -1 else { return nil }
      extents.append(length == -1 ? SliceExtent(start: 0, length: nil) : SliceExtent(start: Int(start), length: Int(length)))
    }
    return i == key.count ? SliceKey(name: name, extents: extents) : nil
  }

  private static func decodeNameAndAdvance(_ key: [UInt8], _ i: inout Int) -> String? {
    guard key.first == 0x00 else { return nil }
    var name: [UInt8] = []
    i = 1
    while i + 1 < key.count {
      switch (key[i], key[i + 1]) {
      case (0x00, 0x01): i += 2; return String(decoding: name, as: UTF8.self)
      case (0x00, 0xFF): name.append(0x00); i += 2
      case (0xFF, 0x00): name.append(0xFF); i += 2
      case (0x00, _), (0xFF, _): return nil
      default: name.append(key[i]); i += 1
      }
    }
    return nil
  }

  /// Unsigned: a length byte (0…8) then that many big-endian bytes.
  static func unsigned(_ key: [UInt8], _ i: inout Int) -> UInt64? {
    guard i < key.count else { return nil }
    let n = Int(key[i])
    guard n <= 8, i + 1 + n <= key.count else { return nil }
    var v: UInt64 = 0
    for k in 0..<n { v = v << 8 | UInt64(key[i + 1 + k]) }
    i += 1 + n
    return v
  }

  /// Signed: length from the leading bits (ones for ≥ 0, zeros for < 0), 1…10 bytes.
  static func signed(_ key: [UInt8], _ i: inout Int) -> Int64? {
    guard i < key.count else { return nil }
    let negative = key[i] & 0x80 == 0
    let flip: UInt8 = negative ? 0xFF : 0x00
    let b0 = key[i] ^ flip
    var n = (~b0).leadingZeroBitCount  // leading ones of b0
    if n == 8 {
      guard i + 1 < key.count else { return nil }
      n += (~(key[i + 1] ^ flip)).leadingZeroBitCount
      guard n <= 10 else { return nil }
    }
    guard n >= 1, i + n <= key.count else { return nil }
    // Header bits: n leading ones across the first one or two bytes.
    let header0: UInt8 = n >= 8 ? 0xFF : ~(0xFF >> UInt8(n))
    let header1: UInt8 = n > 8 ? ~(0xFF >> UInt8(n - 8)) : 0
    var v: Int64 = negative ? -1 : 0
    for k in 0..<n {
      var b = key[i + k]
      if k == 0 { b ^= header0 }
      if k == 1 { b ^= header1 }
      v = v << 8 | Int64(b)
    }
    i += n
    return v
  }
}
