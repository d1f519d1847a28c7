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
}
