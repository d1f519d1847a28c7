import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a TensorBoard event file: TFRecord-framed `tensorflow.Event` records, the first
/// one `file_version: "brain.Event:2"`. Every record goes to the file with one `write(2)`
/// as it is added (no buffering in the process), so TensorBoard and `ssd report` see it at
/// once and a killed writer loses nothing already added.
///
/// A new writer never overwrites: it creates `events.out.tfevents.<seconds>.<hostname>` in
/// its directory, or with `.1`, `.2`, … appended when that name is taken (two writers in the
/// same second). A resumed run therefore appends a new file, and TensorBoard joins the
/// files of a directory in name order.
public final class EventFileWriter {
  public let path: String
  private var fd: Int32
  /// Records written, including the version record.
  public private(set) var recordCount = 0

  /// Creates the file (and `directory` if needed) and writes the version record.
  public init(directory: String, time: Date = Date(), hostname: String = EventFileName.hostname,
              suffix: String = "") throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw EventFileError.cannotCreate(path: directory, reason: (error as NSError).localizedDescription)
    }
    let base = (directory as NSString).appendingPathComponent(EventFileName.make(time: time, hostname: hostname, suffix: suffix))
    var candidate = base, n = 0, opened: Int32 = -1
    while true {
      opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
      if opened >= 0 || errno != EEXIST || n >= 1000 { break }
      n += 1
      candidate = base + ".\(n)"
    }
    guard opened >= 0 else { throw EventFileError.cannotCreate(path: candidate, reason: String(cString: strerror(errno))) }
    path = candidate
    fd = opened
    try write(TFEvent(wallTime: time.timeIntervalSince1970, step: 0, content: .fileVersion(TFEvent.fileVersion)))
  }

  deinit { close() }

  /// Appends one event.
  public func write(_ event: TFEvent) throws {
    precondition(fd >= 0, "EventFileWriter.write after close (\(path))")
    let record = RecordFraming.frame(event.serialized())
    try record.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          throw EventFileError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        done += n
      }
    }
    recordCount += 1
  }

  /// Scalars of one step in one summary (as TensorFlow's summary saver merges them).
  public func addScalars(_ values: [(tag: String, value: Float)], step: Int64, wallTime: Double = Date().timeIntervalSince1970) throws {
    guard !values.isEmpty else { return }
    try write(TFEvent(wallTime: wallTime, step: step, content: .summary(values.map { SummaryValue.scalar($0.tag, $0.value) })))
  }

  /// Images of one step in one summary.
  public func addImages(_ images: [(tag: String, image: SummaryImage)], step: Int64,
                        wallTime: Double = Date().timeIntervalSince1970) throws {
    guard !images.isEmpty else { return }
    try write(TFEvent(wallTime: wallTime, step: step,
                      content: .summary(images.map { SummaryValue(tag: $0.tag, kind: .image($0.image)) })))
  }

  /// A session marker: `.start` when a (resumed) run begins at `step`, `.checkpoint` with the
  /// checkpoint's path prefix after each save.
  public func addSessionLog(_ log: SessionLog, step: Int64, wallTime: Double = Date().timeIntervalSince1970) throws {
    try write(TFEvent(wallTime: wallTime, step: step, content: .sessionLog(log)))
  }

  /// Closes the file; further writes trap.
  public func close() {
    guard fd >= 0 else { return }
    _ = Glibc.close(fd)
    fd = -1
  }
}
