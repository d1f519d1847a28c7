import Foundation
import Testing
@testable import Data

/// A smooth test picture: gradients in R and G, a block in B.
private func testPicture(height: Int, width: Int) -> RGBImage {
  var img = RGBImage(height: height, width: width)
  for y in 0..<height {
    for x in 0..<width {
      let i = (y * width + x) * 3
      img.pixels[i] = UInt8(x * 255 / max(1, width - 1))
      img.pixels[i + 1] = UInt8(y * 255 / max(1, height - 1))
      img.pixels[i + 2] = (x > width / 3 && x < 2 * width / 3) ? 220 : 30
    }
  }
  return img
}

/// Encode then decode: every layout comes back as 3-channel RGB close to the source.
/// Tolerance: mean absolute error below 4 grey levels at quality 95 (JPEG is lossy).
@Test(arguments: [JPEGSubsampling.s444, .s420, .s422])
func jpegRoundTripIsClose(subsampling: JPEGSubsampling) throws {
  let src = testPicture(height: 48, width: 64)
  for progressive in [false, true] {
    let bytes = try JPEGEncoder().encode(src, quality: 95, subsampling: subsampling, progressive: progressive)
    #expect(bytes.prefix(2) == [0xFF, 0xD8])
    let back = try JPEGDecoder().decode(bytes)
    #expect(back.height == 48 && back.width == 64)
    let mae = zip(src.pixels, back.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) }
      / Double(src.pixels.count)
    #expect(mae < 4, "\(subsampling) progressive=\(progressive): mean abs error \(mae)")
  }
}

/// A grayscale (1-component) JPEG decodes to R = G = B.
@Test func grayscaleJPEGDecodesToThreeEqualChannels() throws {
  let bytes = try JPEGEncoder().encode(testPicture(height: 20, width: 33), quality: 90, subsampling: .gray)
  let back = try JPEGDecoder().decode(bytes)
  #expect(back.pixels.count == 20 * 33 * 3)
  for i in stride(from: 0, to: back.pixels.count, by: 3) {
    #expect(back.pixels[i] == back.pixels[i + 1] && back.pixels[i] == back.pixels[i + 2])
  }
}

/// The fixture's grayscale and progressive JPEGs are among the 96 decoded exactly
/// (`jpegDecodeMatchesManifestMeans`); check they are really there.
@Test func fixturesContainGrayscaleAndProgressive() throws {
  let notes = try ManifestImages.load(split: "train").flatMap(\.notes)
  #expect(notes.contains("grayscale_jpeg"))
  #expect(notes.contains("progressive_jpeg"))
}

/// A decoder that met a corrupt stream decodes the next good one correctly.
@Test func decoderRecoversAfterACorruptImage() throws {
  let good = try JPEGEncoder().encode(testPicture(height: 24, width: 40), quality: 90)
  var corrupt = good
  corrupt.removeLast(corrupt.count / 2)
  corrupt[corrupt.count / 2] ^= 0xFF
  let decoder = JPEGDecoder()
  let reference = try JPEGDecoder().decode(good)
  for bad in [corrupt, Array(good.prefix(40)), Array("not a jpeg".utf8)] {
    #expect(throws: JPEGError.self) { try decoder.decode(bad) }
    let again = try decoder.decode(good)
    #expect(again.width == 40 && again.height == 24)
    #expect(again.pixels == reference.pixels)
  }
}
