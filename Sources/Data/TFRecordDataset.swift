/// Several TFRecord files seen as one sequence of records with global numbers: record `i`
/// of the dataset is found by binary search over the files' cumulative counts. Built from an
/// input path spec (globs, comma lists; see `InputPaths`) or explicit files. Thread-safe reads.
public final class TFRecordDataset: @unchecked Sendable {
  public let files: [TFRecordFile]
  /// `starts[k]` = global number of file k's first record; `starts.last` = total count.
  public let starts: [Int]

  /// Opens and indexes every file matched by `inputPath` (see `InputPaths.expand`).
  public convenience init(inputPath: String, tolerateFramingErrors: Bool = false) throws {
    try self.init(paths: try InputPaths.expand(inputPath), tolerateFramingErrors: tolerateFramingErrors)
  }

  /// Opens and indexes `paths` in the given order.
  public init(paths: [String], tolerateFramingErrors: Bool = false) throws {
    files = try paths.map { try TFRecordFile(path: $0, tolerateFramingErrors: tolerateFramingErrors) }
    var starts = [0]
    for f in files { starts.append(starts.last! + f.count) }
    self.starts = starts
  }

  /// Total number of indexed records.
  public var count: Int { starts.last! }

  /// Which file holds global record `index`, and its index inside that file.
  public func fileAndRecord(_ index: Int) -> (file: Int, record: Int) {
    precondition(index >= 0 && index < count, "record \(index) out of range 0..<\(count)")
    var lo = 0, hi = files.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
    }
    return (lo, index - starts[lo])
  }

  /// Where global record `index` is.
  public func location(of index: Int) -> RecordLocation {
    let (f, r) = fileAndRecord(index)
    return files[f].location(ofRecord: r)
  }

  /// The payload of global record `index`, data CRC checked.
  public func readRecord(_ index: Int) throws -> [UInt8] {
    let (f, r) = fileAndRecord(index)
    return try files[f].readRecord(r)
  }

  /// Framing problems that ended the scan of some files early (only with `tolerateFramingErrors`).
  public var framingErrors: [DataError] { files.compactMap { $0.framingError } }
}
