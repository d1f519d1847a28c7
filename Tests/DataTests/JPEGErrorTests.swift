import Foundation
import Testing
@testable import Data

/// Undecodable inputs (the two cases of `bad_tfrecord/bad_jpeg.record`) throw clear errors.
@Test func asciiTextIsNotAJPEG() throws {
  let text = Array("this is not an image, just some ASCII text".utf8)
  #expect(throws: JPEGError.self) { try JPEGDecoder().decode(text) }
  do {
    _ = try JPEGDecoder().decode(text)
  } catch let error as JPEGError {
    guard case .notJPEG(let count, let first, _) = error else {
      Issue.record("expected .notJPEG, got \(error)"); return
    }
    #expect(count == text.count)
    #expect(first == Array(text.prefix(4)))
    #expect(error.description.contains("not a JPEG"))
  }
}

@Test func truncatedJPEGIsRejected() throws {
  let image = try ManifestImages.load(split: "val")[0]
  let cut = Array(image.jpeg.prefix(image.jpeg.count / 3))
  do {
    _ = try JPEGDecoder().decode(cut)
    Issue.record("a JPEG cut to a third decoded without error")
  } catch let error as JPEGError {
    switch error {
    case .truncated(let w, let h, let n):
      #expect([h, w] == Array(image.shape.prefix(2)))
      #expect(n == cut.count)
    case .corrupt, .badHeader: break  // also acceptable: libjpeg may hit a bad marker first
    default: Issue.record("expected .truncated or .corrupt, got \(error)")
    }
  }
}

/// A JPEG cut inside its header (no SOS marker yet) is reported as a damaged header.
@Test func jpegCutInsideHeaderIsABadHeader() throws {
  let image = try ManifestImages.load(split: "val")[0]
  do {
    _ = try JPEGDecoder().decode(Array(image.jpeg.prefix(200)))
    Issue.record("200 header bytes decoded")
  } catch let error as JPEGError {
    guard case .badHeader(let n, _) = error else { Issue.record("expected .badHeader, got \(error)"); return }
    #expect(n == 200)
  }
}

@Test func emptyInputIsNotAJPEG() {
  #expect(throws: JPEGError.self) { try JPEGDecoder().decode([UInt8]()) }
}

@Test func headerReportsSizeAndSubsampling() throws {
  var image = RGBImage(height: 17, width: 30, fill: (200, 10, 90))
  image.pixels[5] = 7
  let encoder = JPEGEncoder(), decoder = JPEGDecoder()
  for s in [JPEGSubsampling.s444, .s420, .s422, .gray] {
    let bytes = try encoder.encode(image, quality: 90, subsampling: s)
    let head = try bytes.withUnsafeBytes { try decoder.header($0) }
    #expect(head == JPEGHeader(width: 30, height: 17, subsampling: s))
  }
}
