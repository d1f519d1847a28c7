import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a file so that a reader (a browser reloading report.html while training runs)
/// sees the old or the new contents, never a mix or a truncated file, even if the writer is
/// killed or the machine crashes: write a temporary file in the same directory, fsync it,
/// rename it over the target, fsync the directory.
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    let tmp = (dir.isEmpty ? "." : dir) + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    func fail(_ what: String) -> ReportError {
      ReportError.cannotWrite(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
    let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw fail("cannot create \(tmp)") }
    var ok = false
    defer { if !ok { unlink(tmp) } }
    do {
      defer { close(fd) }
      try bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
          let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
          if n < 0 {
            if errno == EINTR { continue }
            throw fail("write to \(tmp) failed")
          }
          done += n
        }
      }
      guard fsync(fd) == 0 else { throw fail("fsync of \(tmp) failed") }
    }
    guard rename(tmp, path) == 0 else { throw fail("rename \(tmp) to \(path) failed") }
    ok = true
    // The rename itself is durable once the directory is synced (best effort: some file
    // systems refuse to open a directory for fsync).
    let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      _ = fsync(dfd)
      close(dfd)
    }
  }
}
