import Testing
@testable import Data

/// SSD320 crop windows (aspect 0.75...3, area 0.75...1, min_object_covered 0) over many draws:
/// inside the image, area and aspect ratio within range up to the one-pixel rounding TF allows,
/// and TF's exclusive upper bound: a crop narrower (shorter) than the image never touches the
/// right (bottom) edge.
@Test func ssd320CropWindowsSatisfyConstraints() {
  let sampler = DistortedBoundingBoxSampler(.ssd320)
  for (h, w) in [(480, 640), (640, 427), (300, 300), (211, 282)] {
    var rng = SampleRandom(seed: 11, stream: UInt64(h), UInt64(w))
    var areas = [Double](), whole = 0
    for _ in 0..<400 {
      let c = sampler.sample(imageHeight: h, imageWidth: w, boxes: [], rng: &rng)
      #expect(c.y >= 0 && c.x >= 0 && c.y + c.height <= h && c.x + c.width <= w)
      let area = Double(c.height * c.width) / Double(h * w)
      areas.append(area)
      if c == .whole(height: h, width: w) { whole += 1; continue }
      #expect(area >= 0.75 && area <= 1.0, "\(h)x\(w): crop \(c) area \(area)")
      let ar = Double(c.width) / Double(c.height)
      // width = lrint(height·ar): the realized ratio is within 0.5 px of the drawn one.
      #expect(ar >= 0.75 - 0.5 / Double(c.height) && ar <= 3.0 + 0.5 / Double(c.height), "aspect \(ar)")
      if c.width < w { #expect(c.x + c.width < w, "crop \(c) touches the right edge") }
      if c.height < h { #expect(c.y + c.height < h, "crop \(c) touches the bottom edge") }
    }
    let mean = areas.reduce(0, +) / Double(areas.count)
    #expect(mean > 0.76 && mean < 0.99, "\(h)x\(w): mean area fraction \(mean)")
    #expect(whole < 400, "\(h)x\(w): every attempt fell back to the whole image")
  }
}

/// The worked example of the sampler's doc comment: 640x480 at aspect ratio 1.5 gives heights
/// 392...426 (h_max fixed up from 453 to 426) and width lrint(1.5·h).
@Test func randomCropHeightRangeMatchesWorkedExample() {
  var rng = SampleRandom(seed: 3)
  var heights = Set<Int>()
  for _ in 0..<3000 {
    guard let r = DistortedBoundingBoxSampler.randomCrop(width: 640, height: 480, minRelativeArea: 0.75,
                                                         maxRelativeArea: 1, aspectRatio: 1.5, rng: &rng) else {
      continue
    }
    let h = r.maxY - r.minY, w = r.maxX - r.minX
    heights.insert(h)
    #expect(w == Int((Float(h) * 1.5).rounded(.toNearestOrEven)))
  }
  #expect(heights.min()! >= 392 && heights.max()! <= 426)
  #expect(heights.contains(426) && heights.count > 25)
}

/// min_object_covered = 1: the crop contains at least one (non-degenerate) box completely.
@Test func minObjectCoveredOneKeepsABoxWhole() {
  let sampler = DistortedBoundingBoxSampler(minObjectCovered: 1.0, aspectRatioRange: 0.5...2,
                                            areaRange: 0.1...1)
  let boxes = [BoundingBox(ymin: 0.1, xmin: 0.2, ymax: 0.3, xmax: 0.35),
               BoundingBox(ymin: 0.6, xmin: 0.6, ymax: 0.9, xmax: 0.95)]
  var rng = SampleRandom(seed: 8)
  for _ in 0..<200 {
    let c = sampler.sample(imageHeight: 200, imageWidth: 300, boxes: boxes, rng: &rng)
    let covered = boxes.contains { b in
      let x0 = Int(b.xmin * 300), y0 = Int(b.ymin * 200), x1 = Int(b.xmax * 300), y1 = Int(b.ymax * 200)
      return c.x <= x0 && c.y <= y0 && c.x + c.width >= x1 && c.y + c.height >= y1
    }
    #expect(covered, "crop \(c) covers no box completely")
  }
}

/// Impossible constraints (area range above what fits this aspect ratio range on a very
/// elongated image) fall back to the whole image after max_attempts.
@Test func impossibleConstraintsFallBackToWholeImage() {
  let sampler = DistortedBoundingBoxSampler(minObjectCovered: 0, aspectRatioRange: 0.9...1.1,
                                            areaRange: 0.9...1, maxAttempts: 20)
  var rng = SampleRandom(seed: 2)
  #expect(sampler.sample(imageHeight: 20, imageWidth: 400, boxes: [], rng: &rng) == .whole(height: 20, width: 400))
}

/// Degenerate ground truth (all boxes under one pixel) cannot be covered: whole image.
@Test func degenerateBoxesCannotBeCovered() {
  let sampler = DistortedBoundingBoxSampler(.ssd320)
  var rng = SampleRandom(seed: 4)
  let tiny = [BoundingBox(ymin: 0.5, xmin: 0.5, ymax: 0.5, xmax: 0.5)]
  #expect(sampler.sample(imageHeight: 100, imageWidth: 100, boxes: tiny, rng: &rng) == .whole(height: 100, width: 100))
}
