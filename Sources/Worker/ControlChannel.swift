import Comm
import Foundation

/// Sends and receives `ControlMessage`s over a transport whose every call runs on `thread`
/// (the process's MPI thread). Receives poll with `Backoff`, so a rank waiting for its next
/// command sleeps instead of spinning a core.
public final class ControlChannel: @unchecked Sendable {
  public static let headerTag = 7001
  public static let payloadTag = 7002
  public let transport: Transport
  public let thread: CommThread

  public init(transport: Transport, thread: CommThread) {
    self.transport = transport
    self.thread = thread
  }

  /// Sends `message` to `destination` and waits until the send buffer is free.
  public func send(_ message: ControlMessage, to destination: Int) throws {
    let transport = self.transport
    try thread.sync {
      let header: [UInt64] = [message.kind.rawValue, UInt64(bitPattern: Int64(message.step)),
                              UInt64(bitPattern: Int64(message.argument)), UInt64(message.payload.count)]
      try header.withUnsafeBytes { h in
        try message.payload.withUnsafeBytes { p in
          var requests = [try transport.postSend(h, to: destination, tag: Self.headerTag)]
          if p.count > 0 { requests.append(try transport.postSend(p, to: destination, tag: Self.payloadTag)) }
          try transport.waitAll(requests, peers: requests.map { _ in destination },
                                operation: "sending \(message.kind) to rank \(destination)")
        }
      }
    }
  }

  /// Waits for the next message from `source`. Past `timeout` throws `CommError.timedOut`
  /// naming `operation`.
  public func receive(from source: Int, operation: String, timeout: Duration? = nil) throws -> ControlMessage {
    let transport = self.transport
    return try thread.sync {
      let deadline = timeout.map { ContinuousClock.now + $0 }
      var header = [UInt64](repeating: 0, count: 4)
      try header.withUnsafeMutableBytes { h in
        let request = try transport.postReceive(h, from: source, tag: Self.headerTag)
        do {
          try transport.wait(request, peer: source, operation: operation, deadline: deadline)
        } catch {
          transport.cancel(request)
          throw error
        }
      }
      guard let kind = ControlMessage.Kind(rawValue: header[0]) else {
        throw CommError.protocolViolation("rank \(source) sent control message kind \(header[0])")
      }
      var payload = [UInt8](repeating: 0, count: Int(header[3]))
      if !payload.isEmpty {
        try payload.withUnsafeMutableBytes { p in
          let request = try transport.postReceive(p, from: source, tag: Self.payloadTag)
          do {
            try transport.wait(request, peer: source, operation: operation + " (payload)", deadline: deadline)
          } catch {
            transport.cancel(request)
            throw error
          }
        }
      }
      return ControlMessage(kind, step: Int(Int64(bitPattern: header[1])), argument: Int(Int64(bitPattern: header[2])),
                            payload: payload)
    }
  }

  /// `receive` that also checks the kind.
  public func expect(_ kind: ControlMessage.Kind, from source: Int, operation: String,
                     timeout: Duration? = nil) throws -> ControlMessage {
    let m = try receive(from: source, operation: operation, timeout: timeout)
    guard m.kind == kind else {
      throw CommError.protocolViolation("expected \(kind) from rank \(source) during \(operation), got \(m.kind)")
    }
    return m
  }
}
