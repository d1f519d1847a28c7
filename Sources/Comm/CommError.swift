/// Failures of the communication layer that the world (a slow or dead rank, a mismatched
/// job) can cause. Each case says what to do next.
public enum CommError: Error, CustomStringConvertible, Equatable {
  /// A wait passed its deadline. `operation` names the collective and step, `peer` the rank
  /// whose message or acknowledgement never came.
  case timedOut(operation: String, peer: Int, waitedSeconds: Double)
  /// A gradient collective that did not finish in time (`StallDetector`): `missingRanks`
  /// never joined it (no presence notice arrived); `silentPeer` is the ring neighbour whose
  /// data stopped. Missing ranks point at a crashed or hung process; none missing at a
  /// network partition or a process that died mid-transfer.
  case stalled(GradientCollective, step: Int, missingRanks: [Int], silentPeer: Int, waitedSeconds: Double)
  /// The job was aborted (by this or another rank).
  case aborted(reason: String)
  /// A message was longer than the buffer posted to receive it.
  case truncated(source: Int, tag: Int, messageBytes: Int, bufferBytes: Int)
  /// Ranks disagree on the variable layout or bucket plan.
  case layoutMismatch(report: String)
  /// A received control message did not have the expected contents.
  case protocolViolation(String)

  public var description: String {
    switch self {
    case let .timedOut(operation, peer, waited):
      return "\(operation): nothing from rank \(peer) after \(waited) s; check that rank's log "
        + "(crashed, hung, or running a different collective) and the network between them"
    case let .stalled(collective, step, missing, silent, waited) where missing.isEmpty:
      return "\(collective) of step \(step) stalled for \(waited) s: every rank joined it but the exchange "
        + "with rank \(silent) stopped; check the network to that rank's node and its log, then restart from "
        + "the last checkpoint"
    case let .stalled(collective, step, missing, _, waited):
      return "\(collective) of step \(step) stalled for \(waited) s: ranks \(missing) never "
        + "joined it; check those ranks' logs (crash, hang, slow data loading) and restart from the last checkpoint"
    case let .aborted(reason):
      return "job aborted: \(reason)"
    case let .truncated(source, tag, messageBytes, bufferBytes):
      return "message from rank \(source) with tag \(tag) has \(messageBytes) bytes but only \(bufferBytes) "
        + "were posted; the ranks disagree on buffer sizes (different model or configuration?)"
    case let .layoutMismatch(report):
      return "ranks disagree on the variable layout; start every rank with the same model "
        + "configuration and binary.\n\(report)"
    case let .protocolViolation(what):
      return "communication protocol violated: \(what); are all ranks running the same binary?"
    }
  }
}
