import Testing
@testable import Data

private func image(_ pixels: [(Float, Float, Float)]) -> FloatImage {
  FloatImage(height: 1, width: pixels.count, values: pixels.flatMap { [$0.0, $0.1, $0.2] })
}

private func close(_ a: [Float], _ b: [Float], _ tol: Float) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol }
}

/// Brightness adds δ·255 and clips to [0, 255]. Tolerance 1e-4 (the /255·255 round trip).
@Test func brightnessAddsAndClips() {
  var img = image([(100, 0, 250)])
  ColorAdjustment.brightness(delta: 0.1).apply(to: &img)
  #expect(close(img.values, [125.5, 25.5, 255], 1e-4))
}

/// Contrast 1 is the identity; contrast 0 gives each channel's mean. Tolerance 1e-4.
@Test func contrastScalesAroundChannelMean() {
  let src = image([(10, 200, 30), (50, 100, 90)])
  var same = src
  ColorAdjustment.contrast(factor: 1).apply(to: &same)
  #expect(close(same.values, src.values, 1e-4))
  var flat = src
  ColorAdjustment.contrast(factor: 0).apply(to: &flat)
  #expect(close(flat.values, [30, 150, 60, 30, 150, 60], 1e-4))
  var strong = src
  ColorAdjustment.contrast(factor: 2).apply(to: &strong)
  #expect(close(strong.values, [0, 250, 0, 70, 50, 120], 1e-3))
}

/// Saturation 0 turns a pixel grey at its HSV value (max channel); factor 1 is the identity.
/// Tolerance 1e-3.
@Test func saturationScalesChroma() {
  let src = image([(200, 100, 50), (0, 0, 0), (30, 30, 30)])
  var grey = src
  ColorAdjustment.saturation(factor: 0).apply(to: &grey)
  #expect(close(grey.values, [200, 200, 200, 0, 0, 0, 30, 30, 30], 1e-3))
  var same = src
  ColorAdjustment.saturation(factor: 1).apply(to: &same)
  #expect(close(same.values, src.values, 1e-3))
}

/// Hue +1/3 turn maps red → green → blue; hue 0 is the identity. Tolerance 1e-3.
@Test func hueRotates() {
  var img = image([(255, 0, 0), (0, 255, 0), (10, 20, 200)])
  let src = img
  ColorAdjustment.hue(delta: 1.0 / 3).apply(to: &img)
  #expect(close(Array(img.values[0..<6]), [0, 255, 0, 0, 0, 255], 1e-3))
  var same = src
  ColorAdjustment.hue(delta: 0).apply(to: &same)
  #expect(close(same.values, src.values, 1e-3))
  var back = src
  ColorAdjustment.hue(delta: 0.3).apply(to: &back)
  ColorAdjustment.hue(delta: -0.3).apply(to: &back)
  #expect(close(back.values, src.values, 1e-2))
}

/// Colour options draw their parameters from TF's default ranges.
@Test func colorOptionsUseTensorFlowDefaultRanges() {
  var rng = SampleRandom(seed: 1)
  for _ in 0..<200 {
    let plan = AugmentationPlan.make(options: [.randomAdjustBrightness(), .randomAdjustContrast(), .randomAdjustHue(),
                                               .randomAdjustSaturation(), .randomDistortColor()],
                                     imageHeight: 4, imageWidth: 4, groundTruth: .empty, rng: &rng)
    #expect(plan.steps.count == 8)
    guard case .color(.brightness(let b)) = plan.steps[0], case .color(.contrast(let c)) = plan.steps[1],
          case .color(.hue(let h)) = plan.steps[2], case .color(.saturation(let s)) = plan.steps[3],
          case .color(.brightness(let b2)) = plan.steps[4], case .color(.saturation(let s2)) = plan.steps[5],
          case .color(.hue(let h2)) = plan.steps[6], case .color(.contrast(let c2)) = plan.steps[7] else {
      Issue.record("unexpected steps \(plan.steps)"); return
    }
    #expect(abs(b) <= 0.2 && c >= 0.8 && c <= 1.25 && abs(h) <= 0.02 && s >= 0.8 && s <= 1.25)
    #expect(abs(b2) <= 32.0 / 255 && s2 >= 0.5 && s2 <= 1.5 && abs(h2) <= 0.2 && c2 >= 0.5 && c2 <= 1.5)
  }
  // The SSD320 recipe has no colour step.
  #expect(!PreprocessingConfig.ssd320Training.augmentations.contains { $0.changesColors })
}
