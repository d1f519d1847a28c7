import Foundation

/// TensorFlow's `sample_distorted_bounding_box` (the CPU kernel, current TF including the
/// second `max_height −= 1` fix-up; spec §2.2), with our RNG in place of Philox.
///
/// Worked example (SSD320 config: aspect 0.75...3, area 0.75...1, W×H = 640×480, no boxes):
/// ar = 1.5 ⇒ min_area = 230400, h = lrint(√(230400/1.5)) = 392, h_max = lrint(√(307200/1.5))
/// = 453; lrint(453·1.5) = 680 > 640 ⇒ h_max = ⌊(640.5 − 1e−7)/1.5⌋ = 426; h ∈ 392...426,
/// w = lrint(h·1.5); then y ∈ 0 ..< 480−h, x ∈ 0 ..< 640−w (a crop narrower than the image
/// never touches the right/bottom edge: TF's exclusive bound).
///
/// Random draws per attempt, in order: aspect ratio (float), height offset (if h < h_max),
/// y (if h < H), x (if w < W).
public struct DistortedBoundingBoxSampler: Sendable {
  public var minObjectCovered: Float
  public var aspectRatioRange: ClosedRange<Float>
  public var areaRange: ClosedRange<Float>
  public var maxAttempts: Int

  public init(minObjectCovered: Float, aspectRatioRange: ClosedRange<Float>,
              areaRange: ClosedRange<Float>, maxAttempts: Int = 100) {
    precondition(minObjectCovered >= 0, "min_object_covered must be ≥ 0, got \(minObjectCovered)")
    precondition(aspectRatioRange.lowerBound > 0, "aspect ratio range must be positive")
    precondition(areaRange.lowerBound > 0 && areaRange.upperBound <= 1, "area range must be in (0, 1]")
    precondition(maxAttempts > 0, "max_attempts must be positive")
    self.minObjectCovered = minObjectCovered
    self.aspectRatioRange = aspectRatioRange
    self.areaRange = areaRange
    self.maxAttempts = maxAttempts
  }

  public init(_ p: RandomCropParameters) {
    self.init(minObjectCovered: p.minObjectCovered, aspectRatioRange: p.minAspectRatio...p.maxAspectRatio,
              areaRange: p.minArea...p.maxArea, maxAttempts: p.maxAttempts)
  }

  /// Integer pixel rectangle with TF's `Rectangle` semantics (area in float, empty
  /// intersection = all zeros).
  struct Rect {
    var minX: Int, minY: Int, maxX: Int, maxY: Int
    var area: Float { Float((maxX - minX) * (maxY - minY)) }
    func intersect(_ r: Rect) -> Rect {
      let a = max(minX, r.minX), b = max(minY, r.minY), c = min(maxX, r.maxX), d = min(maxY, r.maxY)
      return (a > c || b > d) ? Rect(minX: 0, minY: 0, maxX: 0, maxY: 0) : Rect(minX: a, minY: b, maxX: c, maxY: d)
    }
  }

  /// A crop window for an `imageHeight x imageWidth` image with these (normalized) boxes,
  /// which must lie in [0, 1] (the caller clips them, as `random_crop_image` does).
  public func sample(imageHeight: Int, imageWidth: Int, boxes: [BoundingBox],
                     rng: inout SampleRandom) -> CropWindow {
    precondition(imageHeight > 0 && imageWidth > 0, "cannot crop an empty \(imageHeight)x\(imageWidth) image")
    var rects = boxes.map { b -> Rect in
      precondition([b.ymin, b.xmin, b.ymax, b.xmax].allSatisfy { $0 >= 0 && $0 <= 1 },
                   "sample_distorted_bounding_box boxes must be in [0, 1], got \(b)")
      return Rect(minX: Int(b.xmin * Float(imageWidth)), minY: Int(b.ymin * Float(imageHeight)),
                  maxX: Int(b.xmax * Float(imageWidth)), maxY: Int(b.ymax * Float(imageHeight)))
    }
    let imageRect = Rect(minX: 0, minY: 0, maxX: imageWidth, maxY: imageHeight)
    if rects.isEmpty { rects = [imageRect] }  // use_image_if_no_bounding_boxes = true

    for _ in 0..<maxAttempts {
      let ar = rng.nextUnitFloat() * (aspectRatioRange.upperBound - aspectRatioRange.lowerBound)
        + aspectRatioRange.lowerBound
      if let crop = Self.randomCrop(width: imageWidth, height: imageHeight, minRelativeArea: areaRange.lowerBound,
                                    maxRelativeArea: areaRange.upperBound, aspectRatio: ar, rng: &rng),
         Self.satisfiesOverlap(crop, minObjectCovered: minObjectCovered, boxes: rects) {
        return CropWindow(y: crop.minY, x: crop.minX, height: crop.maxY - crop.minY, width: crop.maxX - crop.minX,
                          imageHeight: imageHeight, imageWidth: imageWidth)
      }
    }
    return .whole(height: imageHeight, width: imageWidth)
  }

  /// `SatisfiesOverlapConstraints`: crop area ≥ 1 and some box with area ≥ 1 is covered
  /// by at least `minObjectCovered` of its area.
  static func satisfiesOverlap(_ crop: Rect, minObjectCovered: Float, boxes: [Rect]) -> Bool {
    if crop.area < 1 { return false }
    for box in boxes {
      let a = box.area
      if a < 1 { continue }
      if crop.intersect(box).area / a >= minObjectCovered { return true }
    }
    return false
  }

  /// `lrintf`: round half to even, as the C default rounding mode does.
  @inline(__always) static func lrint(_ v: Float) -> Int { Int(v.rounded(.toNearestOrEven)) }

  /// `GenerateRandomCrop`: nil when the constraints cannot be met for this aspect ratio.
  static func randomCrop(width W: Int, height H: Int, minRelativeArea: Float, maxRelativeArea: Float,
                         aspectRatio ar: Float, rng: inout SampleRandom) -> Rect? {
    if maxRelativeArea <= 0 || ar <= 0 || W <= 0 || H <= 0 || minRelativeArea > maxRelativeArea { return nil }
    let minArea = minRelativeArea * Float(W) * Float(H)
    let maxArea = maxRelativeArea * Float(W) * Float(H)
    var height = lrint((minArea / ar).squareRoot())
    var maxHeight = lrint((maxArea / ar).squareRoot())
    if lrint(Float(maxHeight) * ar) > W {
      let eps = Double(Float(0.0000001))
      maxHeight = Int((Double(W) + 0.5 - eps) / Double(ar))
      if lrint(Float(maxHeight) * ar) > W { maxHeight -= 1 }
    }
    if maxHeight > H { maxHeight = H }
    if height >= maxHeight { height = maxHeight }
    if height < maxHeight { height += rng.nextInt(below: maxHeight - height + 1) }
    var width = lrint(Float(height) * ar)
    var area = Float(width * height)
    if area < minArea {
      height += 1
      width = lrint(Float(height) * ar)
      area = Float(width * height)
    }
    if area > maxArea {
      height -= 1
      width = lrint(Float(height) * ar)
      area = Float(width * height)
    }
    if area < minArea || area > maxArea || width > W || height > H || width <= 0 || height <= 0 { return nil }
    let y = height < H ? rng.nextInt(below: H - height) : 0
    let x = width < W ? rng.nextInt(below: W - width) : 0
    return Rect(minX: x, minY: y, maxX: x + width, maxY: y + height)
  }
}
