/// Validates every record of a set of TFRecord files: framing (both CRCs, truncation),
/// tf.Example parsing and the detection fields (`DetectionExampleDecoder`), plus an optional
/// image check, and counts what it finds (`DatasetSummary`).
///
/// Strict mode stops at the first problem (in file and record order) and throws it. Skip
/// mode (`continueOnError`) records each bad record and goes on; after a length-CRC or
/// truncation problem the rest of that file cannot be framed, so it ends that file.
public struct DatasetInspector {
  /// Checks that a valid example's image can be decoded; throw a `DataError`
  /// (`.undecodableImage`) to mark the record bad. The JPEG layer supplies this; nil means
  /// image bytes are not checked beyond being present.
  public typealias ImageCheck = (_ example: DetectionExample, _ location: RecordLocation) throws -> Void

  public var decoder: DetectionExampleDecoder
  public var continueOnError: Bool
  public var imageCheck: ImageCheck?

  public init(decoder: DetectionExampleDecoder, continueOnError: Bool = false, imageCheck: ImageCheck? = nil) {
    self.decoder = decoder
    self.continueOnError = continueOnError
    self.imageCheck = imageCheck
  }

  /// Inspects `paths` in order. `onRecord` sees each valid example (for listings);
  /// `onFile` is told when a file starts, with its indexed record count.
  public func inspect(paths: [String],
                      onFile: ((TFRecordFile) -> Void)? = nil,
                      onRecord: ((RecordLocation, DetectionExample) -> Void)? = nil) throws -> DatasetSummary {
    var summary = DatasetSummary()
    func bad(_ error: DataError) throws {
      guard continueOnError else { throw error }
      summary.badRecords.append(error)
    }
    for path in paths {
      let file = try TFRecordFile(path: path, tolerateFramingErrors: true)
      summary.files += 1
      onFile?(file)
      for i in 0..<file.count {
        summary.records += 1
        let location = file.location(ofRecord: i)
        do {
          let example = try decoder.decode(try file.readRecord(i), location: location)
          do {
            try imageCheck?(example, location)
          } catch let error as DataError where error.location == nil {
            throw DataError(error.kind, at: location)
          }
          summary.add(example)
          onRecord?(location, example)
        } catch let error as DataError {
          try bad(error)
        }
      }
      if let framing = file.framingError {
        summary.records += 1
        try bad(framing)
      }
    }
    return summary
  }
}
