import Testing
@testable import Data
import TestSupport

/// Inputs found by fuzzing (scripts/fuzz.sh, docs/fuzzing.md) that crashed the process or
/// made it allocate gigabytes before their fix; each now gives a typed error.
/// The inputs are committed under Tests/Fixtures/fuzz/<target>/.
struct FuzzRegressionTests {
  /// 178 bytes of grayscale JPEG whose header declares 65500 x 65500 pixels (libjpeg's
  /// largest): the decoder allocated the 12.9 GB RGB image before decoding (an abort).
  /// Refused now, as TensorFlow's decode_jpeg refuses images of 2^29 bytes or more.
  @Test func jpegDeclaringAHugeImageIsRefusedBeforeAllocating() throws {
    let bytes = try Fixtures.fuzzInput("jpeg", "declares-65500x65500.jpg")
    let decoder = JPEGDecoder()
    #expect(try bytes.withUnsafeBytes { try decoder.header($0) }.width == 65500)
    #expect(throws: JPEGError.badSize(width: 65500, height: 65500)) { try decoder.decode(bytes) }
    // The limit: 65500 x 2733 x 3 bytes is just over 2^29 (65500 x 2732 x 3 just under).
    var atLimit = bytes
    let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
    atLimit[sof + 5] = UInt8(2733 >> 8)
    atLimit[sof + 6] = UInt8(2733 & 0xFF)
    #expect(65500 * 2732 * 3 < JPEGDecoder.maximumOutputBytes && 65500 * 2733 * 3 >= JPEGDecoder.maximumOutputBytes)
    #expect(throws: JPEGError.badSize(width: 65500, height: 2733)) { try decoder.decode(atLimit) }
  }
}
