/// Parameters of `random_crop_image` (OD `preprocessor.proto` `RandomCropImage`).
/// `init()` gives the proto defaults; `.ssd320` the values of the SSD320 v1.2 configs (§2.2).
public struct RandomCropParameters: Equatable, Sendable {
  /// The crop must cover at least this fraction of at least one (non-degenerate) GT box.
  public var minObjectCovered: Float = 1.0
  /// Crop width/height (in pixels) is drawn uniformly from this range.
  public var minAspectRatio: Float = 0.75
  public var maxAspectRatio: Float = 1.33
  /// Crop area as a fraction of the image area.
  public var minArea: Float = 0.1
  public var maxArea: Float = 1.0
  /// A box is kept if (its intersection with the crop) / (its area) ≥ this.
  public var overlapThresh: Float = 0.3
  /// Clip kept boxes to the crop.
  public var clipBoxes: Bool = true
  /// Probability of keeping the original image (0 ⇒ always crop, no coin drawn).
  public var randomCoef: Float = 0.0
  /// Attempts of `sample_distorted_bounding_box` before falling back to the whole image
  /// (fixed to 100 by the OD API).
  public var maxAttempts: Int = 100

  public init() {}

  public init(minObjectCovered: Float, minAspectRatio: Float, maxAspectRatio: Float, minArea: Float,
              maxArea: Float, overlapThresh: Float, clipBoxes: Bool = true, randomCoef: Float = 0,
              maxAttempts: Int = 100) {
    self.minObjectCovered = minObjectCovered
    self.minAspectRatio = minAspectRatio
    self.maxAspectRatio = maxAspectRatio
    self.minArea = minArea
    self.maxArea = maxArea
    self.overlapThresh = overlapThresh
    self.clipBoxes = clipBoxes
    self.randomCoef = randomCoef
    self.maxAttempts = maxAttempts
  }

  /// `ssd320_full_*gpus.config`: min_object_covered 0, aspect 0.75...3, area 0.75...1, overlap 0.
  public static let ssd320 = RandomCropParameters(
    minObjectCovered: 0.0, minAspectRatio: 0.75, maxAspectRatio: 3.0, minArea: 0.75, maxArea: 1.0,
    overlapThresh: 0.0)
}
