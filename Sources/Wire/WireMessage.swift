/// One coordinator ↔ worker message: its kind and its payload encoding in one type.
public protocol WireMessage: WireCodable {
  static var kind: MessageKind { get }
}

extension WireMessage {
  /// The payload bytes.
  public func encoded() -> [UInt8] {
    var w = WireWriter()
    encode(to: &w)
    return w.bytes
  }

  /// Decodes a whole payload (every byte must be used). `what` names it in errors.
  public init(payload: [UInt8], what: String) throws {
    var r = WireReader(payload, what: what)
    try self.init(from: &r)
    try r.finish()
  }
}
