import Comm
import Foundation

/// Sends and receives `WireMessage`s over a transport whose every call runs on `thread`
/// (the process's MPI thread): a `MessageHeader` on `CollectiveTag.controlHeader`, then the
/// payload (if any) on `CollectiveTag.controlPayload`. Receives poll with `Backoff`, so a
/// rank waiting for its next command sleeps instead of spinning a core.
public final class ControlChannel: @unchecked Sendable {
  public let transport: Transport
  public let thread: CommThread

  public init(transport: Transport, thread: CommThread) {
    self.transport = transport
    self.thread = thread
  }

  /// Sends `message` to `destination` and waits until the send buffers are free.
  public func send<M: WireMessage>(_ message: M, to destination: Int) throws {
    let transport = self.transport
    let payload = message.encoded()
    let header = MessageHeader(kind: M.kind, payloadCount: payload.count).encoded()
    try thread.sync {
      try header.withUnsafeBytes { h in
        try payload.withUnsafeBytes { p in
          var requests = [try transport.postSend(h, to: destination, tag: CollectiveTag.controlHeader.value)]
          if p.count > 0 { requests.append(try transport.postSend(p, to: destination, tag: CollectiveTag.controlPayload.value)) }
          try transport.waitAll(requests, peers: requests.map { _ in destination },
                                operation: "sending \(M.kind) to rank \(destination)")
        }
      }
    }
  }

  /// Waits for the next message from `source`: its header and payload bytes. Past `timeout`
  /// throws `CommError.timedOut` naming `operation`; a header that does not decode, or whose
  /// payload count is not the size of the payload message that arrived, throws `WireError`.
  /// The payload buffer is sized from the message (probed before it is received), never from
  /// the header's claim alone.
  public func receive(from source: Int, operation: String, timeout: Duration? = nil) throws
    -> (header: MessageHeader, payload: [UInt8])
  {
    let transport = self.transport
    return try thread.sync {
      let deadline = timeout.map { ContinuousClock.now + $0 }
      func wait(into buffer: UnsafeMutableRawBufferPointer, tag: CollectiveTag, _ what: String) throws {
        let request = try transport.postReceive(buffer, from: source, tag: tag.value)
        do {
          try transport.wait(request, peer: source, operation: what, deadline: deadline)
        } catch {
          transport.cancel(request)
          throw error
        }
      }
      var headerBytes = [UInt8](repeating: 0, count: MessageHeader.byteCount)
      try headerBytes.withUnsafeMutableBytes { try wait(into: $0, tag: .controlHeader, operation) }
      let header = try MessageHeader(decoding: headerBytes, from: "rank \(source)")
      if header.payloadCount > 0 {
        let arrived = try transport.waitForMessage(from: source, tag: CollectiveTag.controlPayload.value,
                                                   operation: operation + " (payload)", deadline: deadline)
        try header.checkPayload(received: arrived, from: "rank \(source)")
      }
      var payload = [UInt8](repeating: 0, count: header.payloadCount)
      if !payload.isEmpty {
        try payload.withUnsafeMutableBytes { try wait(into: $0, tag: .controlPayload, operation + " (payload)") }
      }
      return (header, payload)
    }
  }

  /// `receive` of one expected message type: another kind is `CommError.protocolViolation`.
  public func receive<M: WireMessage>(_: M.Type, from source: Int, operation: String, timeout: Duration? = nil,
                                      what: String) throws -> M {
    let (header, payload) = try receive(from: source, operation: operation, timeout: timeout)
    guard header.kind == M.kind else {
      throw CommError.protocolViolation("expected \(M.kind) from rank \(source) during \(operation), got \(header.kind)")
    }
    return try M(payload: payload, what: what)
  }
}
