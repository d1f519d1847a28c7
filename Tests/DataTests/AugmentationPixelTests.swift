import Testing
@testable import Data

/// Draw a solid box, augment (flip + SSD320 crop) and resize to 64x64, and check that the
/// transformed box stays on the object: output pixels well inside the box have the object's
/// colour, pixels well outside the background's. "Well" = 1.5 output pixels from the edge
/// (the legacy resize samples at i·in/out, so an edge blurs over at most one source pixel).
/// Tolerance on colours: 1e-3 (a uniform region interpolates exactly).
@Test func augmentedBoxesStayOnTheObject() {
  let (h, w) = (160, 200)
  let (y0, x0, y1, x1) = (40, 50, 100, 150)
  let fg: Float = 230, bg: Float = 20
  let img = TestImages.solidBox(height: h, width: w, y0: y0, x0: x0, y1: y1, x1: x1,
                                fg: (230, 40, 40), bg: (20, 20, 20))
  let gt = GroundTruth(boxes: [BoundingBox(ymin: Float(y0) / Float(h), xmin: Float(x0) / Float(w),
                                           ymax: Float(y1) / Float(h), xmax: Float(x1) / Float(w))], classes: [1])
  let config = PreprocessingConfig.ssd320Training.resized(height: 64, width: 64)
  let pre = Preprocessor(config: config)
  var flips = 0, keptBoxes = 0
  for seed in 0..<60 {
    var rng = SampleRandom(seed: 77, epoch: 0, sampleIndex: seed)
    let (out, newGT) = pre.process(img, groundTruth: gt, rng: &rng)
    var probe = SampleRandom(seed: 77, epoch: 0, sampleIndex: seed)
    if probe.nextUnitFloat() > 0.5 { flips += 1 }
    let red = { (i: Int, j: Int) in out[(i * 64 + j) * 3] + config.channelMeans[0] }
    guard let b = newGT.boxes.first else {
      for i in 0..<64 { for j in 0..<64 { #expect(abs(red(i, j) - bg) < 1e-3, "box dropped but object visible") } }
      continue
    }
    keptBoxes += 1
    let m: Float = 1.5 / 64
    for i in 0..<64 {
      for j in 0..<64 {
        let y = Float(i) / 64, x = Float(j) / 64
        let inside = y >= b.ymin + m && y <= b.ymax - m && x >= b.xmin + m && x <= b.xmax - m
        let outside = y <= b.ymin - m || y >= b.ymax + m || x <= b.xmin - m || x >= b.xmax + m
        if inside { #expect(abs(red(i, j) - fg) < 1e-3, "seed \(seed): (\(i),\(j)) inside \(b) is \(red(i, j))") }
        if outside { #expect(abs(red(i, j) - bg) < 1e-3, "seed \(seed): (\(i),\(j)) outside \(b) is \(red(i, j))") }
      }
    }
  }
  #expect(flips > 15 && flips < 45, "flip frequency \(flips)/60")
  #expect(keptBoxes > 50)
}

/// An off-centre object makes flips visible: with the flip only, the object's centre moves to
/// 1 − x exactly when the first draw exceeds 0.5.
@Test func flipOnlyMovesObjectToMirroredPosition() {
  let img = TestImages.solidBox(height: 40, width: 80, y0: 10, x0: 4, y1: 30, x1: 20, fg: (250, 250, 250), bg: (0, 0, 0))
  let gt = GroundTruth(boxes: [BoundingBox(ymin: 0.25, xmin: 0.05, ymax: 0.75, xmax: 0.25)], classes: [5])
  let pre = Preprocessor(config: PreprocessingConfig(augmentations: [.randomHorizontalFlip], outputHeight: 40,
                                                     outputWidth: 80, channelMeans: [0, 0, 0]))
  for seed in 0..<20 {
    var rng = SampleRandom(seed: UInt64(seed))
    let (out, newGT) = pre.process(img, groundTruth: gt, rng: &rng)
    let flipped = newGT.boxes[0].xmin > 0.5
    // Column 10 holds the object unflipped, column 69 flipped.
    #expect(out[(20 * 80 + (flipped ? 69 : 10)) * 3] == 250)
    #expect(out[(20 * 80 + (flipped ? 10 : 69)) * 3] == 0)
  }
}

/// Fast (fused 8-bit) and reference (float, step by step) executors agree bit for bit, with
/// and without colour jitter, on a noisy image with several boxes. Tolerance: exact.
@Test func fastAndReferencePreprocessingAgree() {
  let img = TestImages.noise(height: 90, width: 130, seed: 21)
  let gt = GroundTruth(boxes: [BoundingBox(ymin: 0.1, xmin: 0.1, ymax: 0.4, xmax: 0.5),
                               BoundingBox(ymin: 0.5, xmin: 0.6, ymax: 0.95, xmax: 1.0),
                               BoundingBox(ymin: 0.0, xmin: 0.0, ymax: 0.01, xmax: 0.02)], classes: [1, 3, 13])
  let configs: [PreprocessingConfig] = [
    .ssd320Training.resized(height: 48, width: 40),
    .ssd320Evaluation.resized(height: 33, width: 47),
    PreprocessingConfig(augmentations: [.randomCropImage(RandomCropParameters()), .randomHorizontalFlip,
                                        .randomCropImage(.ssd320), .randomHorizontalFlip],
                        outputHeight: 21, outputWidth: 37),
    PreprocessingConfig(augmentations: [.randomHorizontalFlip, .randomDistortColor(colorOrdering: 1),
                                        .randomCropImage(RandomCropParameters()), .randomAdjustBrightness()],
                        outputHeight: 30, outputWidth: 30),
  ]
  for (n, config) in configs.enumerated() {
    let pre = Preprocessor(config: config)
    for seed in 0..<8 {
      var a = SampleRandom(seed: 5, epoch: n, sampleIndex: seed), b = a
      let fast = pre.process(img, groundTruth: gt, rng: &a)
      let ref = pre.processReference(img, groundTruth: gt, rng: &b)
      #expect(fast.image == ref.image, "config \(n) seed \(seed)")
      #expect(fast.groundTruth == ref.groundTruth)
      #expect(a.state == b.state)
    }
  }
}

/// Same (seed, epoch, index) ⇒ identical tensors; another index ⇒ (almost surely) different.
@Test func preprocessingIsDeterministicPerSample() {
  let img = TestImages.noise(height: 70, width: 90, seed: 1)
  let gt = GroundTruth(boxes: [BoundingBox(ymin: 0.2, xmin: 0.2, ymax: 0.6, xmax: 0.7)], classes: [2])
  let pre = Preprocessor(config: .ssd320Training.resized(height: 24, width: 24))
  var r1 = SampleRandom(seed: 9, epoch: 2, sampleIndex: 5), r2 = SampleRandom(seed: 9, epoch: 2, sampleIndex: 5)
  var r3 = SampleRandom(seed: 9, epoch: 2, sampleIndex: 6)
  let a = pre.process(img, groundTruth: gt, rng: &r1), b = pre.process(img, groundTruth: gt, rng: &r2)
  let c = pre.process(img, groundTruth: gt, rng: &r3)
  #expect(a.image == b.image && a.groundTruth == b.groundTruth)
  #expect(a.image != c.image)
}
