/// Why the batch pipeline could not deliver a batch.
public enum PipelineError: Error, CustomStringConvertible {
  /// Loading, decoding or preprocessing one sample failed. `location` names the TFRecord
  /// file and record when the sample came from one; `underlying` says what went wrong.
  case sample(index: Int, epoch: Int, step: Int, location: RecordLocation?, underlying: any Error)
  /// `next()` was called after `stop()`.
  case stopped

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
    }
  }
}
