/// What can go wrong reading or writing a TensorFlow checkpoint. Every case names the file
/// (and the variable or block where it applies) and its description says what to do.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// PATH is neither a V1 checkpoint file, a V2 prefix/`.index` file, nor a directory with a
  /// `checkpoint` state file.
  case notFound(path: String, detail: String)
  /// The table footer does not end with TensorFlow's table magic 0xdb4775248b80fb57.
  case badMagic(path: String, found: UInt64)
  /// The file ends before a structure it promises (footer, block, tensor bytes).
  case truncated(path: String, what: String, offset: Int, needed: Int, fileSize: Int)
  /// A table block's stored masked CRC32C does not match its contents.
  case blockChecksumMismatch(path: String, offset: Int, stored: UInt32, computed: UInt32)
  /// A table block (or an index handle, or a record key) is malformed.
  case corruptTable(path: String, offset: Int, reason: String)
  /// A block uses a compression type this reader does not know.
  case unsupportedCompression(path: String, offset: Int, type: UInt8)
  /// A record value (protocol buffer) could not be parsed or is inconsistent.
  case badRecord(path: String, key: String, reason: String)
  /// A V2 tensor's bytes do not match the masked CRC32C stored in the index.
  case tensorChecksumMismatch(path: String, name: String, stored: UInt32, computed: UInt32)
  /// The variable's element type cannot be read (e.g. strings).
  case unsupportedDataType(path: String, name: String, dtype: String)
  /// The checkpoint uses a feature this reader does not implement (e.g. partitioned V2 tensors).
  case unsupportedFeature(path: String, name: String, feature: String)
  /// No variable with this name.
  case variableNotFound(path: String, name: String)
  /// The variable exists with another shape than the caller expects.
  case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
  /// The variable exists with another element type than the caller asks for.
  case dataTypeMismatch(path: String, name: String, expected: TensorDataType, found: TensorDataType)
  /// The `checkpoint` state file cannot be parsed.
  case badStateFile(path: String, line: Int, reason: String)
  /// A system call failed (open, write, fsync, rename, ...).
  case io(path: String, operation: String, errno: Int32, message: String)

  public var description: String {
    switch self {
    case let .notFound(path, detail):
      return "\(path): no TensorFlow checkpoint here (\(detail)). Pass a V2 prefix such as dir/model.ckpt-100, "
        + "its .index file, a V1 single-file checkpoint, or a directory that has a `checkpoint` file."
    case let .badMagic(path, found):
      return "\(path): not a TensorFlow table file: footer magic is 0x\(String(found, radix: 16)), expected "
        + "0xdb4775248b80fb57. The file is truncated, corrupted or not a checkpoint; restore it from its source."
    case let .truncated(path, what, offset, needed, fileSize):
      return "\(path): truncated: \(what) needs \(needed) bytes at offset \(offset) but the file has \(fileSize) bytes. "
        + "The file was cut short (interrupted copy or write); restore it from its source."
    case let .blockChecksumMismatch(path, offset, stored, computed):
      return "\(path): block at offset \(offset) fails its CRC32C check (stored 0x\(String(stored, radix: 16)), "
        + "computed 0x\(String(computed, radix: 16))). The file is corrupted; restore it from its source."
    case let .corruptTable(path, offset, reason):
      return "\(path): corrupt table data at offset \(offset): \(reason). The file is damaged or not a checkpoint."
    case let .unsupportedCompression(path, offset, type):
      return "\(path): block at offset \(offset) uses compression type \(type); only 0 (none) and 1 (Snappy) are "
        + "supported. Re-save the checkpoint with TensorFlow's default (uncompressed) writer."
    case let .badRecord(path, key, reason):
      return "\(path): record \(key.isEmpty ? "<header>" : "'\(key)'") is invalid: \(reason). The file is damaged "
        + "or was written by an incompatible tool."
    case let .tensorChecksumMismatch(path, name, stored, computed):
      return "\(path): bytes of '\(name)' fail their CRC32C check (stored 0x\(String(stored, radix: 16)), computed "
        + "0x\(String(computed, radix: 16))). The data file is corrupted; restore it or use an older checkpoint."
    case let .unsupportedDataType(path, name, dtype):
      return "\(path): '\(name)' has element type \(dtype), which this reader cannot load. Only numeric and bool "
        + "tensors are supported; leave this variable out."
    case let .unsupportedFeature(path, name, feature):
      return "\(path): '\(name)' uses \(feature), which this reader does not implement. Re-save it unpartitioned."
    case let .variableNotFound(path, name):
      return "\(path): no variable named '\(name)'. Run `ssd ckpt inspect \(path)` to list the variables."
    case let .shapeMismatch(path, name, expected, found):
      return "\(path): '\(name)' has shape \(found), expected \(expected). The checkpoint was written for a "
        + "different model configuration."
    case let .dataTypeMismatch(path, name, expected, found):
      return "\(path): '\(name)' holds \(found) values, expected \(expected)."
    case let .badStateFile(path, line, reason):
      return "\(path):\(line): \(reason). Fix or delete this `checkpoint` file (it only names the newest checkpoint)."
    case let .io(path, operation, errno, message):
      return "\(path): \(operation) failed: \(message) (errno \(errno)). Check the path, free space and permissions."
    }
  }
}
