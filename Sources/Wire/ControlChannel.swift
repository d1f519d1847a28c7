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
  ///
  /// The wait polls from the calling thread, one short comm-thread job per poll, so it never
  /// holds the comm thread: collectives queued meanwhile run between the polls. A worker
  /// waiting for its next command thus still takes part in the overlapped weight all-gather
  /// its ring neighbours need to answer theirs (`GradientReduction.startAllGather`).
  public func receive(from source: Int, operation: String, timeout: Duration? = nil) throws
    -> (header: MessageHeader, payload: [UInt8])
  {
    let deadline = timeout.map { ContinuousClock.now + $0 }
    var headerBytes = [UInt8](repeating: 0, count: MessageHeader.byteCount)
    try receive(into: &headerBytes, from: source, tag: .controlHeader, operation: operation, deadline: deadline)
    let header = try MessageHeader(decoding: headerBytes, from: "rank \(source)")
    var payload: [UInt8] = []
    if header.payloadCount > 0 {
      let transport = self.transport, thread = self.thread
      let arrived = try Backoff.poll(peer: source, operation: { operation + " (payload)" }, deadline: deadline) {
        try thread.sync { try transport.probe(from: source, tag: CollectiveTag.controlPayload.value) }
      }
      try header.checkPayload(received: arrived, from: "rank \(source)")
      payload = [UInt8](repeating: 0, count: header.payloadCount)
      try receive(into: &payload, from: source, tag: .controlPayload, operation: operation + " (payload)", deadline: deadline)
    }
    return (header, payload)
  }

  /// Receives one message of `bytes.count` bytes into `bytes`: posts the receive and tests it,
  /// each on the comm thread, pausing (`Backoff`) on this thread in between.
  private func receive(into bytes: inout [UInt8], from source: Int, tag: CollectiveTag, operation: String,
                       deadline: ContinuousClock.Instant?) throws {
    let transport = self.transport, thread = self.thread
    try bytes.withUnsafeMutableBytes { buffer in
      let request = try thread.sync { try transport.postReceive(buffer, from: source, tag: tag.value) }
      do {
        try Backoff.poll(peer: source, operation: { operation }, deadline: deadline) {
          try thread.sync { try transport.test(request) } ? () : nil
        }
      } catch {
        try? thread.sync { transport.cancel(request) }
        throw error
      }
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
