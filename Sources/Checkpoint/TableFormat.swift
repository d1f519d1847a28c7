import Formats

/// Constants and small pieces of TensorFlow's table (SSTable) format, shared by V1
/// checkpoint files and V2 `.index` files (spec §10.2).
///
/// File = data blocks, metaindex block, index block, 48-byte footer. Each block on disk is
/// its contents, one compression-type byte and the masked CRC32C of (contents ‖ type).
enum TableFormat {
  /// Last 8 bytes of every table, as a little-endian uint64.
  static let magic: UInt64 = 0xdb47_7524_8b80_fb57
  static let footerSize = 48
  /// Compression byte + masked CRC32C after each block's contents.
  static let blockTrailerSize = 5
  /// TensorFlow's `table::Options` defaults.
  static let blockSize = 262_144
  static let restartInterval = 16
}

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
    guard let offset = Varint.read64(bytes, at: &index), let size = Varint.read64(bytes, at: &index),
          offset <= UInt64(Int.max / 2), size <= UInt64(Int.max / 2) else { return nil }
    return BlockHandle(offset: Int(offset), size: Int(size))
  }
}

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
