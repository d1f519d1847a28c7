import Formats

/// The naive reference reader: walks a whole TFRecord file held in memory, checking both
/// CRCs of every record in order. `TFRecordFile`'s header-only index is tested against it,
/// and `TFRecordWriter` output is read back with it.
public enum TFRecordScanner {
  /// One record found by the scan.
  public struct Record: Equatable, Sendable {
    public let offset: Int
    public let payload: [UInt8]
  }

  /// All records of `bytes` (the contents of `path`), stopping at the first framing problem,
  /// which is returned beside the good records before it.
  public static func scan(_ bytes: [UInt8], path: String) -> (records: [Record], error: DataError?) {
    var reader = ByteReader(bytes)
    var records: [Record] = []
    while reader.remaining > 0 {
      let start = reader.offset
      let location = RecordLocation(file: path, recordIndex: records.count, byteOffset: start)
      do {
        let lengthBytes = Array(try reader.readBytes(8))
        var lengthReader = ByteReader(lengthBytes)
        let length = try lengthReader.readUInt64()
        let storedLengthCRC = try reader.readUInt32()
        let computedLengthCRC = CRC32C.mask(CRC32C.checksum(lengthBytes))
        guard storedLengthCRC == computedLengthCRC else {
          return (records, DataError(.lengthCRCMismatch(stored: storedLengthCRC, computed: computedLengthCRC), at: location))
        }
        guard length <= UInt64(reader.remaining) else { throw ByteReader.Failure.truncated(offset: 0, needed: 0, available: 0) }
        let data = Array(try reader.readBytes(Int(length)))
        let storedDataCRC = try reader.readUInt32()
        let computedDataCRC = CRC32C.mask(CRC32C.checksum(data))
        guard storedDataCRC == computedDataCRC else {
          return (records, DataError(.dataCRCMismatch(stored: storedDataCRC, computed: computedDataCRC), at: location))
        }
        records.append(Record(offset: start, payload: data))
      } catch {
        let available = bytes.count - start
        var needed = 12
        if available >= 8 {
          var r = ByteReader(bytes, offset: start)
          needed = Int(clamping: (try? r.readUInt64()) ?? 0) &+ TFRecordFile.overhead
        }
        return (records, DataError(.truncated(needed: needed, available: available), at: location))
      }
    }
    return (records, nil)
  }
}
