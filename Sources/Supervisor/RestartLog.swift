import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's restart log: JSON lines appended to `MODEL_DIR/supervisor/restarts.jsonl`,
/// each with one `write(2)` on an `O_APPEND` descriptor and fsynced, so that a reader never sees
/// half a record and a crash loses at most the record being written.
public final class RestartLog {
  public static let directoryName = "supervisor"
  public static let fileName = "restarts.jsonl"

  public let path: String
  private let fd: Int32
  private let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.keyEncodingStrategy = .convertToSnakeCase
    e.outputFormatting = [.sortedKeys]
    return e
  }()

  /// Opens (creating) the log of `modelDir`.
  public init(modelDir: String) throws {
    let dir = modelDir + "/" + Self.directoryName
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw SupervisorError.cannotWrite(path: dir, reason: "\(error)")
    }
    path = dir + "/" + Self.fileName
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SupervisorError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
  }

  deinit { close(fd) }

  public func append(_ record: RestartRecord) throws {
    var bytes = [UInt8](try encoder.encode(record))
    bytes.append(UInt8(ascii: "\n"))
    let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    guard n == bytes.count else {
      throw SupervisorError.cannotWrite(path: path, reason: n < 0 ? String(cString: strerror(errno)) : "short write")
    }
    _ = fsync(fd)
  }

  /// Reads every record of a log file (lines that do not parse are skipped).
  public static func read(path: String) -> [RestartRecord] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(RestartRecord.self, from: Data($0)) }
  }
}
