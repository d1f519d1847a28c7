import Formats
import Foundation
import Testing
@testable import Data
import TestSupport

/// Decoding against what TensorFlow's `decode_jpeg(channels=3)` produced for the fixtures.
@Test func jpegDecodeMatchesTensorFlowRecord0Exactly() throws {
  let images = try ManifestImages.load(split: "val")
  let raw = try Fixtures.bytes("tfrecord/decoded/synth_val_record0.rgb")
  let decoded = try JPEGDecoder().decode(images[0].jpeg)
  #expect([decoded.height, decoded.width, 3] == images[0].shape)
  #expect(decoded.pixels == raw, "pixels differ from TF's decode (IFAST + fancy upsampling expected)")
}

/// The 96 fixture images (4:2:0, 4:4:4, progressive, grayscale) decode to exactly TF's pixels:
/// all channel means agree, and the SHA-256 of the RGB bytes equals the manifest's
/// `decoded_sha256_tf` for a sample that includes every subsampling kind, the progressive and
/// the grayscale JPEG (hashing all 60 MB takes ~25 s in a debug build; `ssd bench data
/// --fixtures` checks all 96 hashes).
@Test func jpegDecodeMatchesManifestHashesAndMeans() throws {
  let decoder = JPEGDecoder()
  var exact = 0, total = 0, hashed = 0
  var kindsSeen = Set<JPEGSubsampling>()
  for split in ["train", "val"] {
    for image in try ManifestImages.load(split: split) {
      let decoded = try decoder.decode(image.jpeg)
      #expect([decoded.height, decoded.width, 3] == image.shape, "\(split) \(image.sourceID)")
      let means = decoded.channelMeans
      // Tolerance: identical pixels give identical means to float64 rounding (1e-9).
      let same = zip(means, image.meansTF).allSatisfy { abs($0 - $1) < 1e-9 }
      #expect(same, "\(split) \(image.file)#\(image.index) (\(image.notes)): means \(means) vs TF \(image.meansTF)")
      let kind = try image.jpeg.withUnsafeBytes { try decoder.header($0) }.subsampling
      total += 1
      let special = image.notes.contains("grayscale_jpeg") || image.notes.contains("progressive_jpeg")
      let newKind = kindsSeen.insert(kind).inserted
      guard special || newKind || total % 12 == 0 else { continue }
      let hash = SHA256.hexDigest(decoded.pixels)
      #expect(hash == image.sha256TF, "\(split) \(image.file)#\(image.index) (\(image.notes)): pixel SHA-256 differs from TF")
      hashed += 1
      if same && hash == image.sha256TF { exact += 1 }
    }
  }
  #expect(total == 96)
  print("jpeg: \(exact)/\(hashed) hashed fixture images (of \(total)) decode to TF's exact pixels; kinds \(kindsSeen.map(\.rawValue).sorted())")
  #expect(exact == hashed && kindsSeen.isSuperset(of: [.s420, .s444, .gray]))
}
