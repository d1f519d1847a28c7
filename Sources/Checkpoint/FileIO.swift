#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Formats

/// POSIX file helpers that throw `CheckpointError.io` naming the file and the failed call.
enum FileIO {
  static func error(_ path: String, _ operation: String) -> CheckpointError {
    let code = errno
    return .io(path: path, operation: operation, errno: code, message: String(cString: strerror(code)))
  }

  static func exists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
  }

  static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  static func isRegularFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
  }

  /// Size in bytes of a regular file.
  static func size(_ path: String) throws -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { throw error(path, "stat") }
    return Int(st.st_size)
  }

  /// The whole file.
  static func readAll(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw error(path, "open") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw error(path, "fstat") }
    let count = Int(st.st_size)
    var bytes = [UInt8](repeating: 0, count: count)
    try bytes.withUnsafeMutableBytes { buf in try preadFully(fd, path: path, into: buf, offset: 0) }
    return bytes
  }

  /// `count` bytes at `offset`; throws `.truncated` when the file is shorter.
  static func readRange(_ path: String, offset: Int, count: Int, what: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw error(path, "open") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw error(path, "fstat") }
    guard offset >= 0, count >= 0, count <= Int(st.st_size), offset <= Int(st.st_size) - count else {
      throw CheckpointError.truncated(path: path, what: what, offset: offset, needed: count, fileSize: Int(st.st_size))
    }
    var bytes = [UInt8](repeating: 0, count: count)
    try bytes.withUnsafeMutableBytes { buf in try preadFully(fd, path: path, into: buf, offset: offset) }
    return bytes
  }

  private static func preadFully(_ fd: Int32, path: String, into buf: UnsafeMutableRawBufferPointer, offset: Int) throws {
    var done = 0
    while done < buf.count {
      let n = pread(fd, buf.baseAddress! + done, buf.count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        throw error(path, "read")
      }
      if n == 0 {
        throw CheckpointError.truncated(path: path, what: "file contents", offset: offset + done,
                                        needed: buf.count - done, fileSize: offset + done)
      }
      done += n
    }
  }

  /// The write steps of `Formats.AtomicFile`, with its errors as `CheckpointError.io`.
  static func atomic<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let e as FileWriteError {
      throw CheckpointError.io(path: e.path, operation: e.operation, errno: e.code, message: e.message)
    }
  }

  /// Writes `chunks` to a new file at `path` (replacing any), then fsyncs it.
  static func writeSynced(_ path: String, chunks: [[UInt8]]) throws {
    try atomic { try AtomicFile.writeSynced(path, chunks: chunks) }
  }

  /// Atomically replaces `to` with `from` (same directory).
  static func rename(_ from: String, _ to: String) throws { try atomic { try AtomicFile.rename(from, to) } }

  /// Flushes a directory's entries (after renames) to disk.
  static func syncDirectory(_ path: String) throws { try atomic { try AtomicFile.syncDirectory(path) } }

  /// Removes a file; a missing file is not an error.
  static func remove(_ path: String) throws { try atomic { try AtomicFile.remove(path) } }

  /// Names of the entries of a directory (no `.`/`..`).
  static func list(_ path: String) throws -> [String] {
    guard let dir = opendir(path) else { throw error(path, "opendir") }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  static func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw error(path, "mkdir") }
  }
}
