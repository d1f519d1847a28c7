import Testing
@testable import Data

/// random_coef: 0 ⇒ always crop with no coin drawn; 1 ⇒ never crop (u > 1 never holds);
/// 0.5 ⇒ about half the images are cropped (200 draws: 60...140, ≈ 5.6 sigma).
@Test func randomCoefControlsHowOftenTheCropRuns() {
  func crops(_ coef: Float, _ n: Int) -> Int {
    var p = RandomCropParameters.ssd320
    p.randomCoef = coef
    var count = 0
    for i in 0..<n {
      var rng = SampleRandom(seed: 1, epoch: 0, sampleIndex: i)
      let plan = AugmentationPlan.make(options: [.randomCropImage(p)], imageHeight: 100, imageWidth: 150,
                                       groundTruth: .empty, rng: &rng)
      if plan.steps.contains(where: { if case .crop = $0 { return true } else { return false } }) { count += 1 }
    }
    return count
  }
  #expect(crops(0, 50) == 50)
  #expect(crops(1, 50) == 0)
  let half = crops(0.5, 200)
  #expect(half > 60 && half < 140, "\(half)/200 cropped at random_coef 0.5")
  // random_coef 0 draws no coin: the first draw is the aspect ratio.
  var a = SampleRandom(seed: 3), b = SampleRandom(seed: 3)
  _ = AugmentationPlan.make(options: [.randomCropImage(.ssd320)], imageHeight: 50, imageWidth: 50, groundTruth: .empty, rng: &a)
  _ = DistortedBoundingBoxSampler(.ssd320).sample(imageHeight: 50, imageWidth: 50, boxes: [], rng: &b)
  #expect(a.state == b.state)
}

/// The plan tracks the image size through crops, and only geometric plans have a pixel view.
@Test func planTracksSizeAndViewAvailability() {
  var rng = SampleRandom(seed: 4)
  let plan = AugmentationPlan.make(options: [.randomCropImage(.ssd320), .randomCropImage(.ssd320)],
                                   imageHeight: 300, imageWidth: 400, groundTruth: .empty, rng: &rng)
  guard case .crop(let c1) = plan.steps[0], case .crop(let c2) = plan.steps[1] else {
    Issue.record("expected two crops, got \(plan.steps)"); return
  }
  #expect(c1.imageHeight == 300 && c1.imageWidth == 400)
  #expect(c2.imageHeight == c1.height && c2.imageWidth == c1.width)
  #expect(plan.height == c2.height && plan.width == c2.width)
  let view = plan.pixelView(sourceHeight: 300, sourceWidth: 400)!
  #expect(view.y == c1.y + c2.y && view.x == c1.x + c2.x && view.height == c2.height && !view.flipped)
  var rng2 = SampleRandom(seed: 4)
  let colored = AugmentationPlan.make(options: [.randomAdjustHue()], imageHeight: 10, imageWidth: 10,
                                      groundTruth: .empty, rng: &rng2)
  #expect(colored.pixelView(sourceHeight: 10, sourceWidth: 10) == nil && colored.changesColors)
}
