/// Why the batch pipeline could not deliver a batch.
public enum PipelineError: Error, CustomStringConvertible {
  /// Loading, decoding or preprocessing one sample failed. `location` names the TFRecord
  /// file and record when the sample came from one; `underlying` says what went wrong.
  case sample(index: Int, epoch: Int, step: Int, location: RecordLocation?, underlying: any Error)
  /// `next()` was called after `stop()`.
  case stopped
  /// The schedule has no batch to give (fewer samples than one global batch).
  case noFullBatch(sampleCount: Int, globalBatchSize: Int)

  public var description: String {
    switch self {
    case let .sample(index, epoch, step, location, underlying):
      let place = location.map { "\($0)" } ?? "in-memory sample"
      var reason = "\(underlying)"
      // DataError already leads with the location; avoid printing it twice.
      if let location, reason.hasPrefix("\(location): ") { reason.removeFirst("\(location): ".count) }
      return "sample \(index) (\(place)), needed by step \(step) of epoch \(epoch): \(reason)"
    case .stopped:
      return "the input pipeline was stopped; create a new one to read more batches"
    case let .noFullBatch(count, batch):
      return "the data set has \(count) samples, fewer than one global batch of \(batch); "
        + "use a smaller batch size or more data"
    }
  }
}
