/// Varint decoding on array slices (indices are the slice's own).
enum Varint {
  static func read64(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.endIndex {
      let b = bytes[index]
      index += 1
      if shift > 63 { return nil }
      result |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return result }
      shift += 7
    }
    return nil
  }

  static func read32(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> Int? {
    guard let v = read64(bytes, at: &index), v <= UInt64(UInt32.max) else { return nil }
    return Int(v)
  }
}
