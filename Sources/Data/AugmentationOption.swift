/// One `data_augmentation_options` entry of a pipeline.config, with TensorFlow's defaults
/// (OD `preprocessor.proto` / `preprocessor.py`). Applied in list order to the float 0...255
/// image before the resize.
///
/// The SSD320 v1.2 recipe uses only `.randomHorizontalFlip` then `.randomCropImage(.ssd320)`:
/// it applies **no colour jitter** (spec §2.2, despite the README). The colour options exist
/// for configs that ask for them and are off unless listed.
public enum AugmentationOption: Equatable, Sendable {
  /// Mirror image and boxes with probability 1/2 (flip iff u > 0.5).
  case randomHorizontalFlip
  /// `random_crop_image`: TF `sample_distorted_bounding_box` window, box pruning/clipping.
  case randomCropImage(RandomCropParameters)
  /// Add δ ~ U[−maxDelta, maxDelta] on the 0...1 scale, clip to 0...255.
  case randomAdjustBrightness(maxDelta: Float = 0.2)
  /// Scale each channel's deviation from its mean by f ~ U[minDelta, maxDelta], clip.
  case randomAdjustContrast(minDelta: Float = 0.8, maxDelta: Float = 1.25)
  /// Rotate hue by δ ~ U[−maxDelta, maxDelta] turns, clip.
  case randomAdjustHue(maxDelta: Float = 0.02)
  /// Scale HSV saturation by f ~ U[minDelta, maxDelta] (saturation clamped to 0...1), clip.
  case randomAdjustSaturation(minDelta: Float = 0.8, maxDelta: Float = 1.25)
  /// Brightness (32/255), saturation (0.5...1.5), hue (0.2), contrast (0.5...1.5) in that
  /// order for ordering 0; brightness, contrast, saturation, hue for ordering 1.
  case randomDistortColor(colorOrdering: Int = 0)

  /// True for the options that change pixel values (they need the float reference path).
  public var changesColors: Bool {
    switch self {
    case .randomHorizontalFlip, .randomCropImage: return false
    default: return true
    }
  }
}
