/// CRC-32C computed bit by bit (no tables), as an independent check of the writer's framing.
enum BitwiseCRC {
  static func crc(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
      c ^= UInt32(b)
      for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
    }
    return ~c
  }

  /// TensorFlow's mask: rotate right by 15, add 0xa282ead8.
  static func masked(_ bytes: [UInt8]) -> UInt32 {
    let c = crc(bytes)
    return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
  }
}
