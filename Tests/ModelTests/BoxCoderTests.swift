import Foundation
import Testing
@testable import Model

@Suite struct BoxCoderTests {
  let coder = FasterRCNNBoxCoder()

  /// Hand-worked: anchor [0, 0, 1, 1], box [0.1, 0.2, 0.5, 0.8] → h 0.4, w 0.6, center (0.3, 0.5).
  /// ty = (−0.2/1)·10 = −2, tx = 0, th = 5·ln 0.4, tw = 5·ln 0.6 (1 + 1e−8 rounds to 1 in float32).
  @Test func encodeHandWorked() {
    let t = coder.encode(boxes: [0.1, 0.2, 0.5, 0.8], anchors: [0, 0, 1, 1])
    #expect(abs(t[0] - -2) < 1e-6)
    #expect(abs(t[1]) < 1e-6)
    #expect(abs(Double(t[2]) - 5 * log(0.4)) < 1e-5)
    #expect(abs(Double(t[3]) - 5 * log(0.6)) < 1e-5)
  }

  /// The 1e−8 epsilons make a zero-height box encodable: th = 5·ln(1e−8 / (ha + 1e−8)), finite.
  @Test func encodeEpsilonKeepsZeroSizeFinite() {
    let t = coder.encode(boxes: [0.3, 0.3, 0.3, 0.5], anchors: [0.2, 0.2, 0.6, 0.6])
    #expect(t.allSatisfy { $0.isFinite })
    let expected = 5 * log(Double(Float(1e-8)) / Double(Float(0.4) + Float(1e-8)))
    #expect(abs(Double(t[2]) - expected) < 1e-4)
    // For tiny anchors the epsilon is visible: ha = 1e−6 → divide by 1.01e−6.
    let u = coder.encode(boxes: [0, 0, 2e-6, 1e-6], anchors: [0, 0, 1e-6, 1e-6])
    #expect(abs(Double(u[0]) - 10 * (1e-6 - 0.5e-6) / (1e-6 + 1e-8)) < 1e-3)
  }

  /// Hand-worked decode: anchor [0.2, 0.2, 0.6, 0.4] (ha 0.4, wa 0.2, center (0.4, 0.3)),
  /// code [1, −2, 5·ln 2, 0] → center (0.44, 0.26), h 0.8, w 0.2 → [0.04, 0.16, 0.84, 0.36].
  @Test func decodeHandWorked() {
    let b = coder.decode(codes: [1, -2, 5 * Float(log(2.0)), 0], anchors: [0.2, 0.2, 0.6, 0.4])
    let e: [Float] = [0.04, 0.16, 0.84, 0.36]
    for k in 0..<4 { #expect(abs(b[k] - e[k]) < 1e-6, "coordinate \(k): \(b[k])") }
  }

  /// decode(encode(box)) returns the box (to float32 rounding and the 1e−8 epsilons).
  @Test func decodeInvertsEncode() {
    var rng = SplitMix64(seed: 11)
    var boxes: [Float] = [], anchors: [Float] = []
    for _ in 0..<200 {
      for arr in 0..<2 {
        let y = rng.nextFloat(in: -0.2...0.9), x = rng.nextFloat(in: -0.2...0.9)
        let h = rng.nextFloat(in: 0.01...0.8), w = rng.nextFloat(in: 0.01...0.8)
        if arr == 0 { boxes += [y, x, y + h, x + w] } else { anchors += [y, x, y + h, x + w] }
      }
    }
    let back = coder.decode(codes: coder.encode(boxes: boxes, anchors: anchors), anchors: anchors)
    for i in 0..<boxes.count { #expect(abs(back[i] - boxes[i]) < 2e-6, "value \(i)") }
  }

  /// Scale factors divide after the difference: custom factors change only the scaling.
  @Test func customScaleFactors() {
    let c = FasterRCNNBoxCoder(scaleFactors: [1, 2, 3, 4])
    let t = c.encode(boxes: [0.1, 0.2, 0.5, 0.8], anchors: [0, 0, 1, 1])
    let t10 = coder.encode(boxes: [0.1, 0.2, 0.5, 0.8], anchors: [0, 0, 1, 1])
    #expect(abs(t[0] - t10[0] / 10) < 1e-6)
    #expect(abs(t[2] - t10[2] / 5 * 3) < 1e-5)
    #expect(abs(t[3] - t10[3] / 5 * 4) < 1e-5)
  }
}
