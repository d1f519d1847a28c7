import Formats

/// TFRecord framing, as TensorFlow's record writer lays out every record of an event file:
///
/// ```
/// uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes | payload | uint32 masked CRC-32C of the payload
/// ```
/// A 3-byte payload `0a 01 41` becomes `03 00 00 00 00 00 00 00`, the masked CRC of those
/// eight bytes, the three bytes, and the masked CRC of the three bytes: 19 bytes in all.
public enum RecordFraming {
  /// Bytes a record adds around its payload.
  public static let overhead = 16

  /// The framed bytes of one record.
  public static func frame(_ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(payload.count + overhead)
    out.appendLE(UInt64(payload.count))
    out.appendLE(CRC32C.mask(CRC32C.checksum(out)))
    out.append(contentsOf: payload)
    out.appendLE(CRC32C.mask(CRC32C.checksum(payload)))
    return out
  }

  /// One step of reading framed records from `bytes` at `offset`.
  public enum Next: Equatable {
    /// A record whose length and payload CRCs both match; `end` is where the next one starts.
    case record(payload: ArraySlice<UInt8>, end: Int)
    /// Nothing left.
    case end
    /// The bytes stop inside a record (a writer is still writing it, or was killed while
    /// writing it): `available` of the `needed` bytes are there.
    case incomplete(needed: Int, available: Int)
    case lengthCRCMismatch(stored: UInt32, computed: UInt32)
    case dataCRCMismatch(stored: UInt32, computed: UInt32)
  }

  /// Reads the record at `offset`, checking both CRCs. A record length is believed only
  /// after its CRC matches, and never allocates: the payload is a slice of `bytes`.
  public static func next(in bytes: [UInt8], at offset: Int) -> Next {
    let available = bytes.count - offset
    if available <= 0 { return .end }
    if available < 12 { return .incomplete(needed: 12, available: available) }
    var reader = ByteReader(bytes, offset: offset)
    // At least 12 bytes are there: these reads cannot fail.
    guard let length = try? reader.readUInt64(), let storedLengthCRC = try? reader.readUInt32() else {
      return .incomplete(needed: 12, available: available)
    }
    let computedLengthCRC = bytes[offset..<offset + 8].withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) }
    guard storedLengthCRC == computedLengthCRC else {
      return .lengthCRCMismatch(stored: storedLengthCRC, computed: computedLengthCRC)
    }
    guard length <= UInt64(available - 12), Int(length) + 4 <= available - 12 else {
      let needed = length > UInt64(Int.max / 2) ? Int.max : Int(length) + overhead
      return .incomplete(needed: needed, available: available)
    }
    let start = offset + 12, end = start + Int(length)
    let payload = bytes[start..<end]
    reader.seek(to: end)
    guard let storedDataCRC = try? reader.readUInt32() else { return .incomplete(needed: end + 4 - offset, available: available) }
    let computedDataCRC = payload.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) }
    guard storedDataCRC == computedDataCRC else {
      return .dataCRCMismatch(stored: storedDataCRC, computed: computedDataCRC)
    }
    return .record(payload: payload, end: end + 4)
  }
}
