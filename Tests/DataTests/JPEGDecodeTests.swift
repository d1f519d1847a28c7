import Foundation
import Testing
@testable import Data

/// Decoding against what TensorFlow's `decode_jpeg(channels=3)` produced for the fixtures.
@Test func jpegDecodeMatchesTensorFlowRecord0Exactly() throws {
  let images = try ManifestImages.load(split: "val")
  let raw = try Fixtures.bytes("tfrecord/decoded/synth_val_record0.rgb")
  let decoded = try JPEGDecoder().decode(images[0].jpeg)
  #expect([decoded.height, decoded.width, 3] == images[0].shape)
  #expect(decoded.pixels == raw, "pixels differ from TF's decode (IFAST + fancy upsampling expected)")
}

@Test func jpegDecodeMatchesManifestMeans() throws {
  let decoder = JPEGDecoder()
  var exact = 0, total = 0
  for split in ["train", "val"] {
    for image in try ManifestImages.load(split: split) {
      let decoded = try decoder.decode(image.jpeg)
      #expect([decoded.height, decoded.width, 3] == image.shape, "\(split) \(image.sourceID)")
      let means = decoded.channelMeans
      // Tolerance: identical pixels give identical means to float64 rounding (1e-9).
      let same = zip(means, image.meansTF).allSatisfy { abs($0 - $1) < 1e-9 }
      #expect(same, "\(split) \(image.file)#\(image.index) (\(image.notes)): means \(means) vs TF \(image.meansTF)")
      total += 1
      if same { exact += 1 }
    }
  }
  #expect(total == 96)
  print("jpeg: \(exact)/\(total) fixture images have TF's exact channel means")
}
