/// A message that does not decode (short, garbled, or from a peer running another binary).
/// Every decoding failure of this module is one of these; decoding never traps.
public struct WireError: Error, CustomStringConvertible, Equatable {
  /// The message, e.g. "step 3 reply from worker 1".
  public var what: String
  public var reason: String
  public init(what: String, reason: String) {
    self.what = what
    self.reason = reason
  }
  public var description: String {
    "cannot decode \(what): \(reason); start the coordinator and every worker from the same ssd binary"
  }
}
