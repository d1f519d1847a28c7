/// How one training or evaluation image becomes network input (spec §2.1):
/// augmentations in order, legacy bilinear resize to `outputHeight x outputWidth`,
/// per-channel mean subtraction, ground truth padded to `maxBoxes`.
public struct PreprocessingConfig: Equatable, Sendable {
  public var augmentations: [AugmentationOption]
  public var outputHeight: Int
  public var outputWidth: Int
  /// Subtracted from R, G, B after the resize (`_SSDResnetV1FpnFeatureExtractor.preprocess`).
  public var channelMeans: [Float]
  /// `max_number_of_boxes`: ground truth rows per image in a batch (extra boxes are dropped).
  public var maxBoxes: Int

  public init(augmentations: [AugmentationOption], outputHeight: Int = 320, outputWidth: Int = 320,
              channelMeans: [Float] = [123.68, 116.779, 103.939], maxBoxes: Int = 100) {
    precondition(outputHeight > 0 && outputWidth > 0, "output size must be positive")
    precondition(channelMeans.count == 3, "channelMeans needs R, G, B values")
    self.augmentations = augmentations
    self.outputHeight = outputHeight
    self.outputWidth = outputWidth
    self.channelMeans = channelMeans
    self.maxBoxes = maxBoxes
  }

  /// SSD320 v1.2 training: flip, then crop with the config values; 320x320. No colour jitter.
  public static let ssd320Training = PreprocessingConfig(
    augmentations: [.randomHorizontalFlip, .randomCropImage(.ssd320)])

  /// Evaluation: no augmentation, same resize and normalization.
  public static let ssd320Evaluation = PreprocessingConfig(augmentations: [])

  /// The same steps at another output size (tiny models, benchmarks).
  public func resized(height: Int, width: Int) -> PreprocessingConfig {
    var c = self
    c.outputHeight = height
    c.outputWidth = width
    return c
  }
}
