import Foundation

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

/// The top-level fields of a protobuf message (number, wire type, bytes of length-delimited
/// ones), read without any protobuf library.
struct WireFields {
  var number: Int
  var wireType: Int
  var bytes: [UInt8]?

  static func parse(_ b: [UInt8]) -> [WireFields] {
    var out: [WireFields] = [], i = 0
    func varint() -> UInt64 {
      var v: UInt64 = 0, shift: UInt64 = 0
      while true {
        let x = b[i]; i += 1
        v |= UInt64(x & 0x7F) << shift
        if x & 0x80 == 0 { return v }
        shift += 7
      }
    }
    while i < b.count {
      let key = varint()
      let field = WireFields(number: Int(key >> 3), wireType: Int(key & 7), bytes: nil)
      switch field.wireType {
      case 0: _ = varint(); out.append(field)
      case 1: i += 8; out.append(field)
      case 5: i += 4; out.append(field)
      case 2:
        let n = Int(varint())
        out.append(WireFields(number: field.number, wireType: 2, bytes: Array(b[i..<i + n])))
        i += n
      default: return out
      }
    }
    return out
  }
}

/// Temporary directories (kept with SSD_KEEP_TEST_OUTPUT).
enum TempDir {
  static func make(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "ssd-\(tag)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func remove(_ dir: String) {
    if ProcessInfo.processInfo.environment["SSD_KEEP_TEST_OUTPUT"] == nil { try? FileManager.default.removeItem(atPath: dir) }
  }
}
