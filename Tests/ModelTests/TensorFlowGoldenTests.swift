import Testing
@testable import Model

/// Literals recorded from TensorFlow 2.21 (CPU, eager) with a one-off Python script (not part
/// of the project): the anchors from `GridAnchorGenerator.tile_anchors` +
/// `to_normalized_coordinates` written out op by op for levels 3–7 of a 320×320 image, and
/// `tf.image.non_max_suppression` on a scene drawn with a Python port of `SplitMix64`.
@Suite struct TensorFlowGoldenTests {
  /// FNV-1a (64-bit) of the 12,804 × 4 float32 anchors' little-endian bytes as TF produced them.
  @Test func anchorsMatchTensorFlowBitForBit() {
    let anchors = AnchorGenerator().generate(imageHeight: 320, imageWidth: 320)
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for v in anchors {
      var bits = v.bitPattern.littleEndian
      withUnsafeBytes(of: &bits) { for byte in $0 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 } }
    }
    #expect(h == 0x925b_4437_6e8d_a3ca)
  }

  /// 400 boxes `y, x ~ U[0, 0.7)`, `h, w ~ U[0, 0.3)` (`SplitMix64(seed: 2024).nextFloat`),
  /// scores `Float(next() % 16) · 0.0625` (many exact ties, some 0); TF's selections for
  /// (score threshold, IoU threshold, max output) = (0, 0.5, 60) and (0.3, 0.25, 100).
  @Test func nmsMatchesTensorFlow() {
    var rng = SplitMix64(seed: 2024)
    var boxes: [Float] = [], scores: [Float] = []
    for _ in 0..<400 {
      let y = rng.nextFloat(in: 0...0.7), x = rng.nextFloat(in: 0...0.7)
      let h = rng.nextFloat(in: 0...0.3), w = rng.nextFloat(in: 0...0.3)
      boxes += [y, x, y + h, x + w]
      scores.append(Float(rng.next() % 16) * 0.0625)
    }
    let tf1: [Int32] = [36, 39, 41, 66, 83, 128, 132, 134, 142, 148, 181, 187, 198, 225, 226, 234, 248, 250, 258,
                        306, 315, 326, 379, 10, 68, 79, 100, 131, 135, 136, 170, 202, 246, 316, 321, 344, 354,
                        360, 382, 387, 6, 50, 91, 93, 113, 140, 146, 161, 196, 204, 208, 237, 240, 266, 271, 285,
                        288, 291, 293, 325]
    let tf2: [Int32] = [36, 39, 41, 66, 83, 128, 142, 148, 181, 187, 225, 226, 234, 250, 258, 315, 326, 10, 68, 79,
                        100, 131, 135, 136, 170, 202, 246, 316, 344, 360, 382, 387, 6, 113, 140, 146, 196, 208,
                        271, 285, 291, 325, 338, 352, 11, 18, 34, 62, 81, 95, 107, 127, 141, 143, 145, 157, 228,
                        231, 235, 247, 257, 272, 277, 280, 294, 327, 339, 341, 385, 390, 398, 399, 52, 53, 112,
                        158, 191, 239, 0, 23, 26, 78, 174, 233, 243, 361, 373, 28, 46, 63, 71, 86, 87, 177, 203,
                        215, 254, 275, 318, 335]
    for (thr, iou, mx, expected) in [(Float(0), Float(0.5), 60, tf1), (0.3, 0.25, 100, tf2)] {
      let got = boxes.withUnsafeBufferPointer { b in
        scores.withUnsafeBufferPointer { s in
          NonMaxSuppression.select(boxes: b.baseAddress!, scores: s.baseAddress!, count: 400, maxOutput: mx,
                                   iouThreshold: iou, scoreThreshold: thr)
        }
      }
      #expect(got == expected, "threshold \(thr) IoU \(iou)")
      #expect(NonMaxSuppression.selectReference(boxes: boxes, scores: scores, maxOutput: mx, iouThreshold: iou,
                                                scoreThreshold: thr) == expected)
    }
  }
}
