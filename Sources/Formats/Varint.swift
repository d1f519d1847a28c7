/// Base-128 varint decoding (protobuf, LevelDB tables), the project's one implementation:
/// `ByteReader.readVarint` and the checkpoint table reader use it.
public enum Varint {
  /// The varint at `index` (the slice's own indices), up to 64 bits; `index` moves past
  /// it. Throws `ByteReader.Failure.truncated` when the bytes end first and `.badVarint`
  /// (at the varint's first byte) when it runs past 64 bits.
  public static func read64(_ bytes: ArraySlice<UInt8>, at index: inout Int) throws -> UInt64 {
    let start = index
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard index < bytes.endIndex else { throw ByteReader.Failure.truncated(offset: index, needed: 1, available: 0) }
      let b = bytes[index]
      index += 1
      if shift >= 64 { throw ByteReader.Failure.badVarint(offset: start) }
      result |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return result }
      shift += 7
    }
  }

  /// `read64` limited to 32 bits, as an Int; nil when malformed, truncated or too large.
  public static func read32(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> Int? {
    guard let v = try? read64(bytes, at: &index), v <= UInt64(UInt32.max) else { return nil }
    return Int(v)
  }
}
