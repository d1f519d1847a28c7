/// A control message that does not decode: the ranks run different binaries or versions.
public struct WireError: Error, CustomStringConvertible {
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
