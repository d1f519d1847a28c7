/// The fixed 24-byte header sent before every payload (tag `CollectiveTag.controlHeader`):
/// a magic word that also versions the protocol, the message kind and the payload length.
/// Decoding checks all three, so a garbled header or a peer running another binary is a
/// `WireError`, not a huge allocation or a trap.
public struct MessageHeader: Equatable, Sendable {
  /// "SSDWIRE" + protocol version 2, little-endian.
  public static let magic: UInt64 = 0x0245_5249_5744_5353
  /// Payloads above this are refused before the receiver allocates the buffer the header asks
  /// for: the largest real one, SSD320's weights and batch-norm statistics, is about 132 MB, so
  /// 1 GiB leaves 8x headroom. (It was 4 GiB: a garbled 24-byte header made a rank allocate
  /// 4 GB; found by the `wire` fuzz target.)
  public static let maximumPayload = 1 << 30
  public static let byteCount = 24

  public var kind: MessageKind
  public var payloadCount: Int

  public init(kind: MessageKind, payloadCount: Int) {
    self.kind = kind
    self.payloadCount = payloadCount
  }

  /// The header as three little-endian words.
  public var words: [UInt64] { [Self.magic, kind.rawValue, UInt64(payloadCount)] }

  public func encoded() -> [UInt8] {
    var w = WireWriter()
    for word in words { w.u64(word) }
    return w.bytes
  }

  /// Decodes 24 bytes; `from` names the sender for errors.
  public init(decoding bytes: [UInt8], from: String) throws {
    var r = WireReader(bytes, what: "message header from \(from)")
    let magic = try r.u64(), kind = try r.u64(), count = try r.u64()
    try r.finish()
    guard magic == Self.magic else {
      throw WireError(what: r.what, reason: "magic 0x\(String(magic, radix: 16)), expected 0x\(String(Self.magic, radix: 16))")
    }
    guard let k = MessageKind(rawValue: kind) else { throw WireError(what: r.what, reason: "unknown message kind \(kind)") }
    guard count <= UInt64(Self.maximumPayload) else {
      throw WireError(what: r.what, reason: "payload of \(count) bytes exceeds \(Self.maximumPayload)")
    }
    self.init(kind: k, payloadCount: Int(count))
  }

  /// Checks the size of the payload message that arrived (`received` bytes, as the transport
  /// measured it) against the count this header announced, before any buffer is sized from the
  /// header: a garbled count is a `WireError`, not a large zero-filled payload to decode.
  public func checkPayload(received: Int, from: String) throws {
    guard received == payloadCount else {
      throw WireError(what: "\(kind) payload from \(from)",
                      reason: "the header announced \(payloadCount) bytes, the payload message has \(received)")
    }
  }
}
