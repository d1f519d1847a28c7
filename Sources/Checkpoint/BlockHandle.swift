import Formats

/// Where a block's contents sit in the file (without the 5-byte trailer).
struct BlockHandle: Equatable {
  var offset: Int
  var size: Int

  func encode(into out: inout [UInt8]) {
    out.appendVarint(UInt64(offset))
    out.appendVarint(UInt64(size))
  }

  /// Decodes two varints from `bytes` starting at `index`, advancing it.
  static func decode(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> BlockHandle? {
    guard let offset = try? Varint.read64(bytes, at: &index), let size = try? Varint.read64(bytes, at: &index),
          offset <= UInt64(Int.max / 2), size <= UInt64(Int.max / 2) else { return nil }
    return BlockHandle(offset: Int(offset), size: Int(size))
  }
}
