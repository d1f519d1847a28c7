import Testing
@testable import Data
import TestSupport

/// Inputs found by fuzzing (scripts/fuzz.sh, docs/fuzzing.md) that crashed the process or
/// made it allocate gigabytes before their fix; each now gives a typed error.
/// The inputs are committed under Tests/Fixtures/fuzz/<target>/.
struct FuzzRegressionTests {
  /// 178 bytes of grayscale JPEG whose header declares 65535 x 65535 pixels: the decoder
  /// allocated the 12.9 GB RGB image before decoding (an abort). Refused now, like
  /// TensorFlow's decode_jpeg refuses images of 2^29 bytes or more.
  @Test func jpegDeclaringAHugeImageIsRefusedBeforeAllocating() throws {
    let bytes = try Fixtures.fuzzInput("jpeg", "declares-65535x65535.jpg")
    let decoder = JPEGDecoder()
    #expect(try bytes.withUnsafeBytes { try decoder.header($0) }.width == 65535)
    #expect(throws: JPEGError.badSize(width: 65535, height: 65535)) { try decoder.decode(bytes) }
    // The limit: 65535 x 2731 x 3 bytes is just over 2^29 (65535 x 2730 x 3 just under).
    var atLimit = bytes
    let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
    atLimit[sof + 5] = UInt8(2731 >> 8)
    atLimit[sof + 6] = UInt8(2731 & 0xFF)
    #expect(65535 * 2730 * 3 < JPEGDecoder.maximumOutputBytes && 65535 * 2731 * 3 >= JPEGDecoder.maximumOutputBytes)
    #expect(throws: JPEGError.badSize(width: 65535, height: 2731)) { try decoder.decode(atLimit) }
  }
}
