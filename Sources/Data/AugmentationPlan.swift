/// The augmentations of one sample with every random choice made: a list of concrete
/// geometric and colour steps, plus the transformed ground truth. Planning needs only the
/// image size (colour parameters do not depend on pixels), so the pixel work can then be done
/// by either executor in `Preprocessor` (fused 8-bit fast path or float reference path).
public struct AugmentationPlan: Equatable, Sendable {
  public enum Step: Equatable, Sendable {
    case flip
    case crop(CropWindow)
    case color(ColorAdjustment)
  }

  public var steps: [Step]
  /// Ground truth after all steps (normalized to the final, pre-resize image).
  public var groundTruth: GroundTruth
  /// Size of the image after all steps, before the resize.
  public var height: Int
  public var width: Int

  public var changesColors: Bool {
    steps.contains { if case .color = $0 { return true } else { return false } }
  }

  /// Draws all random choices of `options` for an `imageHeight x imageWidth` image, in option
  /// order, from `rng` (spec §2.2; the draws are listed on each option).
  public static func make(options: [AugmentationOption], imageHeight: Int, imageWidth: Int,
                          groundTruth: GroundTruth, rng: inout SampleRandom) -> AugmentationPlan {
    var plan = AugmentationPlan(steps: [], groundTruth: groundTruth, height: imageHeight, width: imageWidth)
    for option in options {
      switch option {
      case .randomHorizontalFlip:
        if rng.nextUnitFloat() > 0.5 {
          plan.steps.append(.flip)
          plan.groundTruth = plan.groundTruth.flippedLeftRight()
        }
      case .randomCropImage(let p):
        // random_coef < DBL_MIN ⇒ always crop, no coin drawn; else crop iff u > random_coef.
        if Double(p.randomCoef) >= Double.leastNormalMagnitude && !(rng.nextUnitFloat() > p.randomCoef) { continue }
        let window = DistortedBoundingBoxSampler(p).sample(
          imageHeight: plan.height, imageWidth: plan.width, boxes: plan.groundTruth.clippedBoxes, rng: &rng)
        plan.steps.append(.crop(window))
        plan.groundTruth = plan.groundTruth.cropped(to: window.normalized, overlapThresh: p.overlapThresh,
                                                    clip: p.clipBoxes)
        plan.height = window.height
        plan.width = window.width
      case .randomAdjustBrightness(let d):
        plan.steps.append(.color(.brightness(delta: rng.nextFloat(from: -d, to: d))))
      case .randomAdjustContrast(let lo, let hi):
        plan.steps.append(.color(.contrast(factor: rng.nextFloat(from: lo, to: hi))))
      case .randomAdjustHue(let d):
        plan.steps.append(.color(.hue(delta: rng.nextFloat(from: -d, to: d))))
      case .randomAdjustSaturation(let lo, let hi):
        plan.steps.append(.color(.saturation(factor: rng.nextFloat(from: lo, to: hi))))
      case .randomDistortColor(let ordering):
        precondition(ordering == 0 || ordering == 1, "random_distort_color color_ordering must be 0 or 1, got \(ordering)")
        let b = ColorAdjustment.brightness(delta: rng.nextFloat(from: -32.0 / 255, to: 32.0 / 255))
        if ordering == 0 {
          let s = ColorAdjustment.saturation(factor: rng.nextFloat(from: 0.5, to: 1.5))
          let h = ColorAdjustment.hue(delta: rng.nextFloat(from: -0.2, to: 0.2))
          let c = ColorAdjustment.contrast(factor: rng.nextFloat(from: 0.5, to: 1.5))
          plan.steps += [.color(b), .color(s), .color(h), .color(c)]
        } else {
          let c = ColorAdjustment.contrast(factor: rng.nextFloat(from: 0.5, to: 1.5))
          let s = ColorAdjustment.saturation(factor: rng.nextFloat(from: 0.5, to: 1.5))
          let h = ColorAdjustment.hue(delta: rng.nextFloat(from: -0.2, to: 0.2))
          plan.steps += [.color(b), .color(c), .color(s), .color(h)]
        }
      }
    }
    return plan
  }

  /// The final view of the source pixels, if the plan is purely geometric.
  public func pixelView(sourceHeight: Int, sourceWidth: Int) -> PixelView? {
    var view = PixelView.whole(height: sourceHeight, width: sourceWidth)
    for step in steps {
      switch step {
      case .flip: view = view.flippedLeftRight()
      case .crop(let w): view = view.cropped(w)
      case .color: return nil
      }
    }
    return view
  }

  /// Reference executor: applies the steps to a float image one by one.
  public func apply(to image: FloatImage) -> FloatImage {
    var img = image
    for step in steps {
      switch step {
      case .flip: img = img.flippedLeftRight()
      case .crop(let w): img = img.cropped(y: w.y, x: w.x, height: w.height, width: w.width)
      case .color(let c): c.apply(to: &img)
      }
    }
    return img
  }
}
