#if canImport(Glibc)
import Glibc
#endif

/// Stops the process (libFuzzer records the input as a crash) when the code under test
/// misbehaves in a way that is not a trap by itself: wrong results, errors without the file.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
  if !condition() {
    fputs("ssd-fuzz: check failed: \(message())\n", stderr)
    abort()
  }
}

/// Every error of a parser that reads a file must name that file.
func expectNamesInput(_ error: any Error, _ name: String) {
  let text = String(describing: error)
  fuzzCheck(text.contains(name), "error of type \(type(of: error)) does not name the input '\(name)': \(text)")
}

/// A private scratch folder for targets whose parsers read files: `$TMPDIR/ssd-fuzz-<pid>`
/// (scripts/fuzz.sh points TMPDIR at a folder of its own in /dev/shm and removes it).
enum Scratch {
  static let directory: String = {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    let dir = "\(base)/ssd-fuzz-\(getpid())"
    mkdir(dir, 0o700)
    atexit { Scratch.removeAll() }
    return dir
  }()

  /// Writes `bytes` to `name` in the scratch folder (replacing it); returns the path.
  @discardableResult
  static func write(_ name: String, _ bytes: [UInt8]) -> String {
    let path = directory + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    fuzzCheck(fd >= 0, "cannot create \(path): errno \(errno)")
    var done = 0
    bytes.withUnsafeBytes { raw in
      while done < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
        fuzzCheck(n > 0, "cannot write \(path): errno \(errno)")
        done += n
      }
    }
    close(fd)
    return path
  }

  /// Makes (if needed) and returns a sub-folder of the scratch folder.
  static func folder(_ name: String) -> String {
    let path = directory + "/" + name
    mkdir(path, 0o700)
    return path
  }

  /// Removes `path` (a file or an empty folder) if it exists.
  static func remove(_ path: String) {
    if unlink(path) != 0 { rmdir(path) }
  }

  /// Removes the scratch folder and everything in it (two levels deep, as the targets use it).
  static func removeAll() {
    func clear(_ dir: String) {
      guard let d = opendir(dir) else { return }
      var names: [String] = []
      while let e = readdir(d) {
        let name = withUnsafePointer(to: e.pointee.d_name) {
          $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
      }
      closedir(d)
      for n in names {
        let p = dir + "/" + n
        if unlink(p) != 0 {
          clear(p)
          rmdir(p)
        }
      }
    }
    clear(directory)
    rmdir(directory)
  }

  /// The contents of a file (for building seeds from fixtures); nil if unreadable.
  static func read(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&buffer, 1, buffer.count, f)
      if n <= 0 { break }
      out.append(contentsOf: buffer[0..<n])
    }
    return out
  }
}

/// Little-endian helpers for building and splitting inputs.
extension Array where Element == UInt8 {
  /// Splits an input into a flags byte and the rest (an empty input gives flags 0).
  var flagsAndBody: (flags: UInt8, body: [UInt8]) {
    guard let first else { return (0, []) }
    return (first, Array(dropFirst()))
  }
}
