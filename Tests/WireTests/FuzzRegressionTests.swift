import Comm
import Foundation
import Testing
import TestSupport
@testable import Wire

/// Inputs found by the `wire` fuzz target (scripts/fuzz.sh, docs/fuzzing.md); committed
/// under Tests/Fixtures/fuzz/wire/ as the bytes a rank receives.
struct FuzzRegressionTests {
  /// A 24-byte header (magic and kind valid) claiming a payload of 4,143,972,553 bytes: it
  /// decoded (the limit was 4 GiB) and `ControlChannel.receive` allocated 4 GB for the payload
  /// before receiving it. Payloads are now limited to 1 GiB, 8x SSD320's largest message.
  @Test func headerClaimingFourGigabytesIsRefused() throws {
    let bytes = try Fixtures.fuzzInput("wire", "header-claims-4gb.bin")
    #expect(bytes.count == MessageHeader.byteCount)
    let error = #expect(throws: WireError.self) { try MessageHeader(decoding: bytes, from: "rank 3") }
    #expect(error?.what == "message header from rank 3")
    #expect(error?.reason == "payload of 4143972553 bytes exceeds \(1 << 30)")
    // The limit itself still decodes; one byte more does not.
    let atLimit = MessageHeader(kind: .parameters, payloadCount: MessageHeader.maximumPayload)
    #expect(try MessageHeader(decoding: atLimit.encoded(), from: "rank 3") == atLimit)
    let over = MessageHeader(kind: .parameters, payloadCount: MessageHeader.maximumPayload + 1)
    #expect(throws: WireError.self) { try MessageHeader(decoding: over.encoded(), from: "rank 3") }
  }

  /// A header of kind `evaluate` claiming 671,100,160 payload bytes (under the 1 GiB limit),
  /// followed by a payload message of 26 bytes. `ControlChannel.receive` allocated the claimed
  /// size, the short message left the rest zero, and the worker decoded 83 M sample indices
  /// from the zeros (over 60 s in the fuzz harness). The payload message is now measured
  /// (`Transport.probe`) and a size other than the header's count is a `WireError`, at once.
  @Test func headerClaimingMoreThanThePayloadMessageIsRefused() throws {
    let bytes = try Fixtures.fuzzInput("wire", "header-claims-671mb-sends-26.bin")
    let headerBytes = Array(bytes.prefix(MessageHeader.byteCount))
    let payload = Array(bytes.dropFirst(MessageHeader.byteCount))
    #expect(payload.count == 26)
    let header = try MessageHeader(decoding: headerBytes, from: "rank 1")
    #expect(header.kind == .evaluate && header.payloadCount == 671_100_160)
    let error = #expect(throws: WireError.self) { try header.checkPayload(received: payload.count, from: "rank 1") }
    #expect(error?.what == "EvaluateMessage payload from rank 1")
    #expect(error?.reason == "the header announced 671100160 bytes, the payload message has 26")

    // Over a transport, as a worker receives its next command.
    let started = ContinuousClock.now
    let outcome = Self.exchange(header: headerBytes, payload: payload) { channel in
      do {
        _ = try channel.receive(from: 1, operation: "waiting for a command", timeout: .seconds(30))
        return "received"
      } catch let error as WireError {
        return error.reason
      }
    }
    #expect(try outcome.get() == "the header announced 671100160 bytes, the payload message has 26")
    #expect(ContinuousClock.now - started < .seconds(10))
  }

  /// A well-formed message still arrives whole, and a header announcing fewer bytes than the
  /// payload message holds is refused too (before the receive, which would truncate).
  @Test func payloadMessageSizeMustMatchTheHeader() throws {
    let message = EvaluateMessage(batchSize: 8, indices: [0, 5, 10])
    let payload = message.encoded()
    for (announced, expected) in [(payload.count, "ok"), (payload.count - 1, "refused"), (payload.count + 1, "refused")] {
      let header = MessageHeader(kind: .evaluate, payloadCount: announced).encoded()
      let outcome = Self.exchange(header: header, payload: payload) { channel in
        do {
          let received = try channel.receive(EvaluateMessage.self, from: 1, operation: "test", timeout: .seconds(30),
                                             what: "evaluate command")
          return received == message ? "ok" : "garbled"
        } catch is WireError {
          return "refused"
        }
      }
      #expect(try outcome.get() == expected, "header announcing \(announced) of \(payload.count) bytes")
    }
  }

  /// A 2-rank in-process world: rank 1 sends `header` and `payload` raw, rank 0 runs `receive`
  /// on its `ControlChannel`; rank 0's outcome.
  static func exchange(header: [UInt8], payload: [UInt8],
                       _ receive: @escaping (ControlChannel) throws -> String) -> Result<String, Error> {
    InProcessWorld.run(size: 2) { transport -> String in
      if transport.rank == 1 {
        try sendRaw(transport, header: header, payload: payload)
        return "sent"
      }
      return try receive(ControlChannel(transport: transport, thread: CommThread()))
    }[0]
  }

  /// Sends a header and a payload message as `ControlChannel.send` does, with any bytes.
  static func sendRaw(_ transport: Transport, header: [UInt8], payload: [UInt8]) throws {
    try header.withUnsafeBytes { h in
      try payload.withUnsafeBytes { p in
        let requests = [try transport.postSend(h, to: 0, tag: CollectiveTag.controlHeader.value),
                        try transport.postSend(p, to: 0, tag: CollectiveTag.controlPayload.value)]
        try transport.waitAll(requests, peers: [0, 0], operation: "sending")
      }
    }
  }
}
