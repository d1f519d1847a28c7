/// One `data_augmentation_options { <step> { ... } }` entry (preprocessor.proto) with its
/// parameters, proto defaults applied. Steps without a typed case here keep their checked
/// proto message in `.other` (they parse; the trainer decides whether it can run them).
public enum PreprocessingStep: Equatable, Sendable {
  case normalizeImage(originalMinval: Float, originalMaxval: Float, targetMinval: Float, targetMaxval: Float)
  /// Flip left-right with probability 0.5.
  case randomHorizontalFlip(keypointFlipPermutation: [Int])
  case randomVerticalFlip(keypointFlipPermutation: [Int])
  case randomRotation90
  case randomPixelValueScale(minval: Float, maxval: Float)
  case randomImageScale(minScaleRatio: Float, maxScaleRatio: Float)
  case randomRGBToGray(probability: Float)
  case randomAdjustBrightness(maxDelta: Float)
  case randomAdjustContrast(minDelta: Float, maxDelta: Float)
  case randomAdjustHue(maxDelta: Float)
  case randomAdjustSaturation(minDelta: Float, maxDelta: Float)
  case randomDistortColor(colorOrdering: Int)
  case randomJitterBoxes(ratio: Float)
  case randomCropImage(RandomCrop)
  case randomCropToAspectRatio(aspectRatio: Float, overlapThresh: Float, clipBoxes: Bool)
  case randomBlackPatches(maxBlackPatches: Int, probability: Float, sizeToImageRatio: Float)
  /// `ssd_random_crop { operations { ... } ... }`: one operation is drawn per image.
  case ssdRandomCrop(operations: [RandomCrop])
  case subtractChannelMean(means: [Float])
  /// Any other step: its oneof name (e.g. `random_pad_image`) and checked message.
  case other(name: String, message: ProtoMessage)

  /// Parameters of `random_crop_image` and of each `ssd_random_crop` operation.
  /// `random_crop_image` defaults: min_object_covered 1.0, aspect ratio [0.75, 1.33],
  /// area [0.1, 1.0], overlap_thresh 0.3, clip_boxes true, random_coef 0.0. SSD crop
  /// operations default every float to 0 and clip_boxes to true.
  public struct RandomCrop: Equatable, Sendable {
    public var minObjectCovered: Float
    public var minAspectRatio: Float
    public var maxAspectRatio: Float
    public var minArea: Float
    public var maxArea: Float
    public var overlapThresh: Float
    public var clipBoxes: Bool
    /// Probability of keeping the original image (0: always crop).
    public var randomCoef: Float

    public init(minObjectCovered: Float, minAspectRatio: Float, maxAspectRatio: Float, minArea: Float,
                maxArea: Float, overlapThresh: Float, clipBoxes: Bool, randomCoef: Float)
    {
      self.minObjectCovered = minObjectCovered
      self.minAspectRatio = minAspectRatio
      self.maxAspectRatio = maxAspectRatio
      self.minArea = minArea
      self.maxArea = maxArea
      self.overlapThresh = overlapThresh
      self.clipBoxes = clipBoxes
      self.randomCoef = randomCoef
    }
  }

  /// The step's field name in `PreprocessingStep` (e.g. `random_crop_image`).
  public var name: String {
    switch self {
    case .normalizeImage: return "normalize_image"
    case .randomHorizontalFlip: return "random_horizontal_flip"
    case .randomVerticalFlip: return "random_vertical_flip"
    case .randomRotation90: return "random_rotation90"
    case .randomPixelValueScale: return "random_pixel_value_scale"
    case .randomImageScale: return "random_image_scale"
    case .randomRGBToGray: return "random_rgb_to_gray"
    case .randomAdjustBrightness: return "random_adjust_brightness"
    case .randomAdjustContrast: return "random_adjust_contrast"
    case .randomAdjustHue: return "random_adjust_hue"
    case .randomAdjustSaturation: return "random_adjust_saturation"
    case .randomDistortColor: return "random_distort_color"
    case .randomJitterBoxes: return "random_jitter_boxes"
    case .randomCropImage: return "random_crop_image"
    case .randomCropToAspectRatio: return "random_crop_to_aspect_ratio"
    case .randomBlackPatches: return "random_black_patches"
    case .ssdRandomCrop: return "ssd_random_crop"
    case .subtractChannelMean: return "subtract_channel_mean"
    case .other(let name, _): return name
    }
  }

  /// Builds the typed step from a checked `PreprocessingStep` message's oneof member.
  static func from(name: String, _ m: ProtoMessage) -> PreprocessingStep {
    func crop(_ m: ProtoMessage) -> RandomCrop {
      RandomCrop(minObjectCovered: m.float("min_object_covered"), minAspectRatio: m.float("min_aspect_ratio"),
                 maxAspectRatio: m.float("max_aspect_ratio"), minArea: m.float("min_area"),
                 maxArea: m.float("max_area"), overlapThresh: m.float("overlap_thresh"),
                 clipBoxes: m.bool("clip_boxes"), randomCoef: m.float("random_coef"))
    }
    switch name {
    case "normalize_image":
      return .normalizeImage(originalMinval: m.float("original_minval"), originalMaxval: m.float("original_maxval"),
                             targetMinval: m.float("target_minval"), targetMaxval: m.float("target_maxval"))
    case "random_horizontal_flip": return .randomHorizontalFlip(keypointFlipPermutation: m.ints("keypoint_flip_permutation"))
    case "random_vertical_flip": return .randomVerticalFlip(keypointFlipPermutation: m.ints("keypoint_flip_permutation"))
    case "random_rotation90": return .randomRotation90
    case "random_pixel_value_scale": return .randomPixelValueScale(minval: m.float("minval"), maxval: m.float("maxval"))
    case "random_image_scale":
      return .randomImageScale(minScaleRatio: m.float("min_scale_ratio"), maxScaleRatio: m.float("max_scale_ratio"))
    case "random_rgb_to_gray": return .randomRGBToGray(probability: m.float("probability"))
    case "random_adjust_brightness": return .randomAdjustBrightness(maxDelta: m.float("max_delta"))
    case "random_adjust_contrast": return .randomAdjustContrast(minDelta: m.float("min_delta"), maxDelta: m.float("max_delta"))
    case "random_adjust_hue": return .randomAdjustHue(maxDelta: m.float("max_delta"))
    case "random_adjust_saturation":
      return .randomAdjustSaturation(minDelta: m.float("min_delta"), maxDelta: m.float("max_delta"))
    case "random_distort_color": return .randomDistortColor(colorOrdering: m.int("color_ordering"))
    case "random_jitter_boxes": return .randomJitterBoxes(ratio: m.float("ratio"))
    case "random_crop_image": return .randomCropImage(crop(m))
    case "random_crop_to_aspect_ratio":
      return .randomCropToAspectRatio(aspectRatio: m.float("aspect_ratio"), overlapThresh: m.float("overlap_thresh"),
                                      clipBoxes: m.bool("clip_boxes"))
    case "random_black_patches":
      return .randomBlackPatches(maxBlackPatches: m.int("max_black_patches"), probability: m.float("probability"),
                                 sizeToImageRatio: m.float("size_to_image_ratio"))
    case "ssd_random_crop": return .ssdRandomCrop(operations: m.messages("operations").map(crop))
    case "subtract_channel_mean": return .subtractChannelMean(means: m.floats("means"))
    default: return .other(name: name, message: m)
    }
  }
}
