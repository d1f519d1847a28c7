import Formats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes TFRecord files readable by TensorFlow's `TFRecordDataset` (spec 1.6, no
/// compression). Output is buffered; call `close()` to flush and learn about write errors.
public final class TFRecordWriter {
  public let path: String
  private var fd: Int32
  private var buffer: [UInt8] = []
  private let flushThreshold = 1 << 20
  /// Records written so far.
  public private(set) var recordCount = 0
  /// Bytes written so far (including buffered ones).
  public private(set) var byteCount = 0

  /// Creates (or truncates) `path`.
  public init(path: String) throws {
    self.path = path
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw DataError(.io(path: path, operation: "open for writing", errno: errno)) }
    buffer.reserveCapacity(flushThreshold + 4096)
  }

  deinit {
    if fd >= 0 { try? close() }
  }

  /// The framed bytes of one record: length, masked CRC of the length, payload, masked CRC of the payload.
  public static func frame<C: Collection>(_ payload: C) -> [UInt8] where C.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(payload.count + TFRecordFile.overhead)
    append(payload, to: &out)
    return out
  }

  static func append<C: Collection>(_ payload: C, to out: inout [UInt8]) where C.Element == UInt8 {
    let start = out.count
    out.appendLE(UInt64(payload.count))
    let lengthCRC = out.withUnsafeBytes { CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<start + 8]))) }
    out.appendLE(lengthCRC)
    let dataStart = out.count
    out.append(contentsOf: payload)
    let dataCRC = out.withUnsafeBytes { CRC32C.mask(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[dataStart...]))) }
    out.appendLE(dataCRC)
  }

  /// Appends one record holding `payload` (usually a serialized tf.Example).
  public func write<C: Collection>(_ payload: C) throws where C.Element == UInt8 {
    precondition(fd >= 0, "TFRecordWriter.write after close (\(path))")
    Self.append(payload, to: &buffer)
    recordCount += 1
    byteCount += payload.count + TFRecordFile.overhead
    if buffer.count >= flushThreshold { try flush() }
  }

  /// Writes buffered bytes to the file.
  public func flush() throws {
    var done = 0
    try buffer.withUnsafeBytes { raw in
      while done < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          throw DataError(.io(path: path, operation: "write", errno: errno))
        }
        done += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes and closes the file. Further writes trap.
  public func close() throws {
    guard fd >= 0 else { return }
    defer {
      _ = Glibc.close(fd)
      fd = -1
    }
    try flush()
  }
}
