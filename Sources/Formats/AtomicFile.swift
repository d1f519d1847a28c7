#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way our programs write a file that must never be seen half-written: the bytes
/// go to a temporary file beside it (`<path>.tmp-<pid>`), which is fsynced, renamed over
/// `path` and the directory fsynced, so a crash at any point leaves the old file or the new
/// one. Used for every file the trainer writes (checkpoint bundles and their `checkpoint`
/// state file, evaluation metrics and detections, run reports).
///
/// `write(_:to:)` does it for one file; the building blocks (`writeSynced`, `rename`,
/// `syncDirectory`) are for commits of several files in an order (a checkpoint's data file,
/// then its index). Failures throw `FileWriteError` naming the file and the system call.
public enum AtomicFile {
  /// Replaces (or creates) `path` with `bytes`, atomically and durably.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try write(chunks: [bytes], to: path)
  }

  /// Replaces (or creates) `path` with the concatenation of `chunks`, atomically and durably.
  public static func write(chunks: [[UInt8]], to path: String) throws {
    let temporary = temporaryPath(for: path)
    do {
      try writeSynced(temporary, chunks: chunks)
      try rename(temporary, path)
    } catch {
      try? remove(temporary)
      throw error
    }
    try syncDirectory(directory(of: path))
  }

  /// The temporary name `write` uses for `path` (unique per process).
  public static func temporaryPath(for path: String) -> String { path + ".tmp-\(getpid())" }

  /// Writes `chunks` to a new file at `path` (replacing any), then fsyncs it.
  public static func writeSynced(_ path: String, chunks: [[UInt8]]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileWriteError(path: path, operation: "open for writing") }
    var closed = false
    defer { if !closed { close(fd) } }
    for chunk in chunks {
      try chunk.withUnsafeBytes { buf in
        var done = 0
        while done < buf.count {
          let n = systemWrite(fd, buf.baseAddress! + done, buf.count - done)
          if n < 0 {
            if errno == EINTR { continue }
            throw FileWriteError(path: path, operation: "write")
          }
          done += n
        }
      }
    }
    guard fsync(fd) == 0 else { throw FileWriteError(path: path, operation: "fsync") }
    closed = true
    guard close(fd) == 0 else { throw FileWriteError(path: path, operation: "close") }
  }

  /// Atomically replaces `to` with `from` (same directory).
  public static func rename(_ from: String, _ to: String) throws {
    guard systemRename(from, to) == 0 else { throw FileWriteError(path: to, operation: "rename from \(from)") }
  }

  /// Flushes a directory's entries (after renames) to disk.
  public static func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw FileWriteError(path: path, operation: "open directory") }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw FileWriteError(path: path, operation: "fsync directory") }
  }

  /// Removes a file; a missing file is not an error.
  public static func remove(_ path: String) throws {
    if unlink(path) != 0 && errno != ENOENT { throw FileWriteError(path: path, operation: "unlink") }
  }

  /// The directory holding `path` ("." for a bare name).
  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
private let systemRename = Glibc.rename
#else
private let systemWrite = Darwin.write
private let systemRename = Darwin.rename
#endif

/// A system call of `AtomicFile` failed: which file, which call, and the system's reason.
public struct FileWriteError: Error, Equatable, CustomStringConvertible {
  public let path: String
  public let operation: String
  public let code: Int32
  public let message: String

  /// Captures `errno` now.
  public init(path: String, operation: String) {
    let code = errno
    self.init(path: path, operation: operation, code: code, message: String(cString: strerror(code)))
  }

  public init(path: String, operation: String, code: Int32, message: String) {
    self.path = path
    self.operation = operation
    self.code = code
    self.message = message
  }

  public var description: String {
    "\(path): \(operation) failed: \(message) (errno \(code)); check that the directory exists, is writable and has space"
  }
}
