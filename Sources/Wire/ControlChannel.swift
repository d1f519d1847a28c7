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
  /// its ring neighbours need to answer theirs (`GradientReduction.startAllGather`). Each poll
  /// goes as far as what has arrived allows (header, probe, payload), so a message that is
  /// there is taken in one job: one wait behind a running collective, not one per stage.
  public func receive(from source: Int, operation: String, timeout: Duration? = nil) throws
    -> (header: MessageHeader, payload: [UInt8])
  {
    let deadline = timeout.map { ContinuousClock.now + $0 }
    let state = Receipt(transport: transport, source: source)
    let thread = self.thread
    defer { _ = thread.asyncUnlessStopping { state.cancel() } }  // after any poll still queued; frees the buffers
    return try Backoff.poll(peer: source, operation: { state.header == nil ? operation : operation + " (payload)" },
                            deadline: deadline) {
      try thread.sync { try state.advance() }
    }
  }

  /// One message being received, advanced by polls on the comm thread.
  private final class Receipt: @unchecked Sendable {
    let transport: Transport
    let source: Int
    let headerBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: MessageHeader.byteCount, alignment: 8)
    var headerRequest: TransportRequest?
    var header: MessageHeader?
    var payloadBuffer: UnsafeMutableRawBufferPointer?
    var payloadRequest: TransportRequest?

    init(transport: Transport, source: Int) {
      self.transport = transport
      self.source = source
    }

    deinit {
      headerBuffer.deallocate()
      payloadBuffer?.deallocate()
    }

    /// Posts, tests and probes as far as the arrived messages allow; the message once complete.
    func advance() throws -> (header: MessageHeader, payload: [UInt8])? {
      let header: MessageHeader
      if let known = self.header {
        header = known
      } else {
        if headerRequest == nil {
          headerRequest = try transport.postReceive(headerBuffer, from: source, tag: CollectiveTag.controlHeader.value)
        }
        guard try transport.test(headerRequest!) else { return nil }
        headerRequest = nil
        header = try MessageHeader(decoding: Array(headerBuffer), from: "rank \(source)")
        self.header = header
      }
      guard header.payloadCount > 0 else { return (header, []) }
      if payloadBuffer == nil {
        guard let arrived = try transport.probe(from: source, tag: CollectiveTag.controlPayload.value) else { return nil }
        try header.checkPayload(received: arrived, from: "rank \(source)")
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: header.payloadCount, alignment: 8)
        payloadBuffer = buffer
        payloadRequest = try transport.postReceive(buffer, from: source, tag: CollectiveTag.controlPayload.value)
      }
      guard let request = payloadRequest, try transport.test(request) else { return nil }
      payloadRequest = nil
      return (header, Array(payloadBuffer!))
    }

    /// Withdraws what is still posted (after a timeout or an error), so the transport no
    /// longer writes into the buffers.
    func cancel() {
      if let r = headerRequest { transport.cancel(r) }
      if let r = payloadRequest { transport.cancel(r) }
      headerRequest = nil
      payloadRequest = nil
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
