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
