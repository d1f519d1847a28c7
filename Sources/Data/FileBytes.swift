#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with errors that name the file, the operation and the system's reason.
public enum FileBytes {
  /// The contents of `path`; `purpose` ends up in the error ("read image", "read label map").
  public static func read(_ path: String, purpose: String = "read") throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw DataError(.io(path: path, operation: purpose, errno: errno)) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw DataError(.io(path: path, operation: purpose, errno: errno)) }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw DataError(.io(path: path, operation: purpose, errno: EISDIR)) }
    var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
    try TFRecordFile.preadFully(fd: fd, path: path, into: &bytes, count: bytes.count, at: 0)
    return bytes
  }
}
