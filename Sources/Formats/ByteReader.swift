/// Little-endian cursor over bytes, for binary formats (TFRecord, SSTable, bundles).
public struct ByteReader {
  public let bytes: [UInt8]
  public private(set) var offset: Int

  public init(_ bytes: [UInt8], offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  public var remaining: Int { bytes.count - offset }

  public enum Failure: Error, Equatable, CustomStringConvertible {
    case truncated(offset: Int, needed: Int, available: Int)
    case badVarint(offset: Int)
    public var description: String {
      switch self {
      case let .truncated(offset, needed, available):
        return "truncated at byte \(offset): needed \(needed) bytes, \(available) available"
      case let .badVarint(offset):
        return "malformed varint at byte \(offset)"
      }
    }
  }

  public mutating func seek(to offset: Int) { self.offset = offset }

  public mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
    guard count >= 0, count <= remaining else {
      throw Failure.truncated(offset: offset, needed: count, available: remaining)
    }
    defer { offset += count }
    return bytes[offset..<offset + count]
  }

  public mutating func readUInt32() throws -> UInt32 {
    let s = try readBytes(4)
    var v: UInt32 = 0
    for (k, b) in s.enumerated() { v |= UInt32(b) << (8 * k) }
    return v
  }

  public mutating func readUInt64() throws -> UInt64 {
    let s = try readBytes(8)
    var v: UInt64 = 0
    for (k, b) in s.enumerated() { v |= UInt64(b) << (8 * k) }
    return v
  }

  /// Base-128 varint, up to 64 bits (`Varint.read64`).
  public mutating func readVarint() throws -> UInt64 {
    var i = offset
    let v = try Varint.read64(bytes[...], at: &i)
    offset = i
    return v
  }
}

/// Little-endian appends, the writing side of `ByteReader`.
extension Array where Element == UInt8 {
  public mutating func appendLE(_ v: UInt32) { for k in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
  public mutating func appendLE(_ v: UInt64) { for k in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
  public mutating func appendVarint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    append(UInt8(v))
  }
}
