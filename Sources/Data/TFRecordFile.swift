import Formats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One TFRecord file opened for random access (spec 1.6): an index of record offsets built
/// by a header-only scan (one 12-byte `pread` per record, payloads are never read), then any
/// record read by number with one `pread`, both CRCs checked.
///
/// Framing per record: u64 length, u32 masked CRC32C(length bytes), data, u32 masked
/// CRC32C(data), little-endian. The scan checks every length CRC and that each record fits
/// in the file; data CRCs are checked when a record is read. Reads are thread-safe.
public final class TFRecordFile: @unchecked Sendable {
  public let path: String
  public let fileSize: Int
  /// Byte offset of each record's length field, ascending.
  public let offsets: [Int]
  /// Data (payload) length of each record.
  public let lengths: [Int]
  /// The framing problem that ended the scan early, when opened with
  /// `tolerateFramingErrors`; records before it are indexed. Always nil otherwise.
  public let framingError: DataError?
  private let fd: Int32

  /// Bytes of framing around each payload: 8 length + 4 length CRC + 4 data CRC.
  public static let overhead = 16

  /// Opens `path` and indexes its records. Throws on the first framing problem (length CRC
  /// mismatch, truncated header or body) unless `tolerateFramingErrors`, in which case the
  /// index stops there and `framingError` says why. An empty file has zero records.
  public init(path: String, tolerateFramingErrors: Bool = false) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw DataError(.io(path: path, operation: "open", errno: errno)) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let e = errno
      close(fd)
      throw DataError(.io(path: path, operation: "fstat", errno: e))
    }
    self.fd = fd
    self.fileSize = Int(st.st_size)
    var offsets: [Int] = []
    var lengths: [Int] = []
    var failure: DataError?
    var offset = 0
    var header = [UInt8](repeating: 0, count: 12)
    while offset < fileSize {
      let location = RecordLocation(file: path, recordIndex: offsets.count, byteOffset: offset)
      let available = fileSize - offset
      if available < 12 {
        failure = DataError(.truncated(needed: 12, available: available), at: location)
        break
      }
      do {
        try Self.preadFully(fd: fd, path: path, into: &header, count: 12, at: offset)
      } catch let e as DataError {
        failure = e
        break
      }
      let (length, lengthOK, stored, computed) = Self.parseHeader(header)
      if !lengthOK {
        failure = DataError(.lengthCRCMismatch(stored: stored, computed: computed), at: location)
        break
      }
      if available < Self.overhead || length > UInt64(available - Self.overhead) {
        failure = DataError(.truncated(needed: Int(clamping: length) &+ Self.overhead, available: available), at: location)
        break
      }
      offsets.append(offset)
      lengths.append(Int(length))
      offset += Int(length) + Self.overhead
    }
    if let failure, !tolerateFramingErrors {
      close(fd)
      throw failure
    }
    self.offsets = offsets
    self.lengths = lengths
    self.framingError = failure
  }

  deinit { close(fd) }

  /// Number of indexed records.
  public var count: Int { offsets.count }

  /// Where record `index` is.
  public func location(ofRecord index: Int) -> RecordLocation {
    RecordLocation(file: path, recordIndex: index, byteOffset: offsets[index])
  }

  /// The payload of record `index` (0-based), its data CRC checked unless
  /// `verifyChecksum` is false.
  public func readRecord(_ index: Int, verifyChecksum: Bool = true) throws -> [UInt8] {
    precondition(index >= 0 && index < count, "record \(index) out of range 0..<\(count) in \(path)")
    let length = lengths[index]
    let dataOffset = offsets[index] + 12
    var buffer = [UInt8](repeating: 0, count: length + 4)
    try Self.preadFully(fd: fd, path: path, into: &buffer, count: length + 4, at: dataOffset)
    let stored = UInt32(buffer[length]) | UInt32(buffer[length + 1]) << 8
      | UInt32(buffer[length + 2]) << 16 | UInt32(buffer[length + 3]) << 24
    buffer.removeLast(4)
    if verifyChecksum {
      let computed = CRC32C.mask(CRC32C.checksum(buffer))
      if computed != stored {
        throw DataError(.dataCRCMismatch(stored: stored, computed: computed), at: location(ofRecord: index))
      }
    }
    return buffer
  }

  /// Decodes a 12-byte header: length, whether its CRC matches, stored and computed masked CRCs.
  static func parseHeader(_ h: [UInt8]) -> (length: UInt64, ok: Bool, stored: UInt32, computed: UInt32) {
    var length: UInt64 = 0
    for k in 0..<8 { length |= UInt64(h[k]) << (8 * UInt64(k)) }
    let stored = UInt32(h[8]) | UInt32(h[9]) << 8 | UInt32(h[10]) << 16 | UInt32(h[11]) << 24
    let computed = h.withUnsafeBytes { CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<8]))) }
    return (length, stored == computed, stored, computed)
  }

  /// Reads exactly `count` bytes at `offset` into the start of `buffer`.
  static func preadFully(fd: Int32, path: String, into buffer: inout [UInt8], count: Int, at offset: Int) throws {
    var done = 0
    try buffer.withUnsafeMutableBytes { raw in
      while done < count {
        let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset + done))
        if n < 0 {
          if errno == EINTR { continue }
          throw DataError(.io(path: path, operation: "pread", errno: errno))
        }
        if n == 0 {
          throw DataError(.invalidInput(path: path, detail: "file shrank while reading at byte \(offset + done)"))
        }
        done += n
      }
    }
  }
}
